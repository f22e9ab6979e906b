package io.sibyl.storage.compaction;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * A table's {@code WITH compaction = {...}} options, validated and typed, with Cassandra's names and
 * defaults. {@link #parse} rejects unknown classes, unknown options and out-of-range values with an
 * {@link IllegalArgumentException} whose message the CQL layer returns as INVALID.
 *
 * @param minThreshold              STCS (and LCS L0 / TWCS newest window): fewest similar SSTables worth merging
 * @param maxThreshold              most SSTables merged at once
 * @param bucketLow                 STCS: an SSTable joins a bucket if its size is within
 *                                  [avg × bucket_low, avg × bucket_high]
 * @param minSSTableSize            STCS: SSTables below this many bytes all share one bucket
 * @param sstableSizeBytes          LCS: target size of one SSTable ({@code sstable_size_in_mb})
 * @param fanout                    LCS: each level holds {@code fanout} times the previous ({@code fanout_size})
 * @param windowUnit                TWCS: {@code compaction_window_unit} (MINUTES, HOURS, DAYS)
 * @param windowSize                TWCS: {@code compaction_window_size} units per window
 * @param tombstoneThreshold        single-SSTable tombstone compaction when the droppable ratio passes this
 * @param tombstoneCompactionIntervalSeconds an SSTable must be this old before a tombstone compaction
 * @param uncheckedTombstoneCompaction run tombstone compactions without the overlap check
 */
public record CompactionParams(Strategy strategy, boolean enabled, int minThreshold, int maxThreshold,
                               double bucketLow, double bucketHigh, long minSSTableSize, long sstableSizeBytes,
                               int fanout, TimeUnit windowUnit, int windowSize, double tombstoneThreshold,
                               long tombstoneCompactionIntervalSeconds, boolean uncheckedTombstoneCompaction) {

    public enum Strategy {
        SIZE_TIERED("SizeTieredCompactionStrategy"),
        LEVELED("LeveledCompactionStrategy"),
        TIME_WINDOW("TimeWindowCompactionStrategy");

        public final String className;

        Strategy(String className) {
            this.className = className;
        }

        static Strategy ofClass(String cls) {
            String shortName = cls.startsWith(CASSANDRA_PACKAGE) ? cls.substring(CASSANDRA_PACKAGE.length()) : cls;
            for (Strategy s : values()) {
                if (s.className.equals(shortName)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("Unable to find compaction strategy class '" + cls + "'");
        }
    }

    static final String CASSANDRA_PACKAGE = "org.apache.cassandra.db.compaction.";

    private static final Set<String> COMMON = Set.of("class", "enabled", "tombstone_threshold",
            "tombstone_compaction_interval", "unchecked_tombstone_compaction", "only_purge_repaired_tombstones",
            "log_all", "min_threshold", "max_threshold");
    private static final Set<String> STCS = Set.of("bucket_low", "bucket_high", "min_sstable_size");
    private static final Set<String> LCS = Set.of("sstable_size_in_mb", "fanout_size", "single_sstable_uplevel");
    private static final Set<String> TWCS = Set.of("compaction_window_unit", "compaction_window_size",
            "timestamp_resolution", "expired_sstable_check_frequency_seconds", "unsafe_aggressive_sstable_expiration");

    public static final CompactionParams DEFAULT = parse(Map.of("class", "SizeTieredCompactionStrategy"));

    /** Validates {@code options} (the CQL map, {@code class} required). */
    public static CompactionParams parse(Map<String, String> options) {
        String cls = options.get("class");
        if (cls == null) {
            throw new IllegalArgumentException("Missing sub-option 'class' for the 'compaction' option.");
        }
        Strategy s = Strategy.ofClass(cls);
        Set<String> unknown = new TreeSet<>();
        for (String k : options.keySet()) {
            // As Cassandra, LCS (for L0) and TWCS (inside the newest window) also take the size-tiered options.
            if (!COMMON.contains(k) && !STCS.contains(k) && !(s == Strategy.LEVELED ? LCS : s == Strategy.TIME_WINDOW ? TWCS
                    : Set.of()).contains(k)) {
                unknown.add(k);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Properties specified " + unknown + " are not understood by "
                    + s.className);
        }
        Options o = new Options(options);
        int min = o.integer("min_threshold", 4);
        int max = o.integer("max_threshold", 32);
        if (min < 2) {
            throw new IllegalArgumentException("min_threshold must be at least 2, but was " + min);
        }
        if (max < min) {
            throw new IllegalArgumentException("max_threshold cannot be smaller than min_threshold (" + max + " < " + min + ")");
        }
        double low = o.decimal("bucket_low", 0.5);
        double high = o.decimal("bucket_high", 1.5);
        if (!(low > 0 && low < 1)) {
            throw new IllegalArgumentException("bucket_low must be between 0 and 1 (exclusive), but was " + low);
        }
        if (!(high > 1)) {
            throw new IllegalArgumentException("bucket_high must be greater than 1, but was " + high);
        }
        long minSize = o.longValue("min_sstable_size", 50L << 20);
        if (minSize < 0) {
            throw new IllegalArgumentException("min_sstable_size must be non negative: " + minSize);
        }
        long sizeMb = o.longValue("sstable_size_in_mb", 160);
        if (sizeMb <= 0) {
            throw new IllegalArgumentException("sstable_size_in_mb must be larger than 0, but was " + sizeMb);
        }
        int fanout = o.integer("fanout_size", 10);
        if (fanout < 2) {
            throw new IllegalArgumentException("fanout_size must be at least 2, but was " + fanout);
        }
        String unit = options.getOrDefault("compaction_window_unit", "DAYS").toUpperCase(Locale.ROOT);
        TimeUnit windowUnit = switch (unit) {
            case "MINUTES" -> TimeUnit.MINUTES;
            case "HOURS" -> TimeUnit.HOURS;
            case "DAYS" -> TimeUnit.DAYS;
            default -> throw new IllegalArgumentException(unit + " is not valid for compaction_window_unit (MINUTES, HOURS or DAYS)");
        };
        int windowSize = o.integer("compaction_window_size", 1);
        if (windowSize < 1) {
            throw new IllegalArgumentException("compaction_window_size must be greater than 0, but was " + windowSize);
        }
        String resolution = options.getOrDefault("timestamp_resolution", "MICROSECONDS").toUpperCase(Locale.ROOT);
        if (!resolution.equals("MICROSECONDS")) {
            throw new IllegalArgumentException("timestamp_resolution " + resolution + " is not supported (Sibyl timestamps are MICROSECONDS)");
        }
        o.longValue("expired_sstable_check_frequency_seconds", 600);
        double tombstoneThreshold = o.decimal("tombstone_threshold", 0.2);
        if (tombstoneThreshold < 0) {
            throw new IllegalArgumentException("tombstone_threshold must be greater than 0, but was " + tombstoneThreshold);
        }
        long interval = o.longValue("tombstone_compaction_interval", 86_400);
        if (interval < 0) {
            throw new IllegalArgumentException("tombstone_compaction_interval must be either 0 or greater than 0, but was " + interval);
        }
        o.bool("only_purge_repaired_tombstones", false);
        o.bool("log_all", false);
        o.bool("single_sstable_uplevel", false);
        o.bool("unsafe_aggressive_sstable_expiration", false);
        return new CompactionParams(s, o.bool("enabled", true), min, max, low, high, minSize, sizeMb << 20, fanout,
                windowUnit, windowSize, tombstoneThreshold, interval, o.bool("unchecked_tombstone_compaction", false));
    }

    /** A table's options; options that no longer validate (an older schema) fall back to the default, STCS. */
    public static CompactionParams forTable(io.sibyl.storage.schema.TableMetadata table) {
        try {
            return parse(table.params().compaction());
        } catch (IllegalArgumentException e) {
            org.slf4j.LoggerFactory.getLogger(CompactionParams.class).warn(
                    "Table {} has invalid compaction options {} ({}); using the defaults", table,
                    table.params().compaction(), e.getMessage());
            return DEFAULT;
        }
    }

    /** The options as stored in the schema: {@code class} shortened to Cassandra's simple name. */
    public static Map<String, String> normalize(Map<String, String> options) {
        CompactionParams p = parse(options);
        Map<String, String> m = new LinkedHashMap<>(options);
        m.put("class", p.strategy.className);
        return m;
    }

    public long windowMillis() {
        return windowUnit.toMillis(windowSize);
    }

    private record Options(Map<String, String> map) {
        int integer(String k, int dflt) {
            long v = longValue(k, dflt);
            if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
                throw new IllegalArgumentException(k + " is out of range: " + v);
            }
            return (int) v;
        }

        long longValue(String k, long dflt) {
            String v = map.get(k);
            if (v == null) {
                return dflt;
            }
            try {
                return Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(k + " must be an integer, but was '" + v + "'");
            }
        }

        double decimal(String k, double dflt) {
            String v = map.get(k);
            if (v == null) {
                return dflt;
            }
            try {
                return Double.parseDouble(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(k + " must be a number, but was '" + v + "'");
            }
        }

        boolean bool(String k, boolean dflt) {
            String v = map.get(k);
            if (v == null) {
                return dflt;
            }
            return switch (v.trim().toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException(k + " must be true or false, but was '" + v + "'");
            };
        }
    }
}
