package io.sibyl.actors.cluster;

import java.util.Map;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.LWWRegister;

/**
 * The fencing token of a {@link TopologyCoordinator} incarnation (docs/adr: "metadata log appends
 * fenced per coordinator incarnation"). Distributed Data has no compare-and-set, so two incarnations of
 * the singleton (a hand-over race) could both append epoch N+1. Each incarnation first takes a fence
 * higher than every fence a majority knows (WriteMajority), and only then reads the log (ReadMajority);
 * after each append reached a majority it reads the fences again (ReadMajority) and counts the entry only
 * if no other incarnation holds a higher fence. Quorum intersection then gives: an entry one incarnation
 * counted is seen by every later incarnation's log read. An entry written but not counted loses to the
 * newer incarnation's entry for the same epoch, because the fence is the entry's LWW timestamp
 * ({@link #clock}): a higher fence wins every merge, whatever the wall clocks say.
 *
 * @param value  the fence: higher than every fence known when it was taken
 * @param holder the incarnation (cluster address and a random id): ties between equal values go to the
 *               greater holder, so that exactly one of two incarnations is ever current
 */
public record MetadataFence(long value, String holder) {

    /** Incarnation to fence; durable, so that a fence never goes back after a whole-cluster restart. */
    public static final Key<LWWMap<String, Long>> KEY = LWWMapKey.create("sibyl-durable-metadata-fence");

    /**
     * A fence above every one in {@code known}; at least the wall clock in millis, so that it also beats
     * log entries written before fences existed (their LWW timestamps are wall-clock millis).
     */
    public static MetadataFence next(Map<String, Long> known, String holder, long nowMillis) {
        long max = 0;
        for (long v : known.values()) {
            max = Math.max(max, v);
        }
        return new MetadataFence(Math.max(max + 1, nowMillis), holder);
    }

    /** The incarnation in {@code known} that supersedes this one, or null when this one is current. */
    public String supersededBy(Map<String, Long> known) {
        for (Map.Entry<String, Long> e : known.entrySet()) {
            if (e.getKey().equals(holder)) {
                continue;
            }
            long v = e.getValue();
            if (v > value || (v == value && e.getKey().compareTo(holder) > 0)) {
                return e.getKey() + " (fence " + v + ")";
            }
        }
        return null;
    }

    /** The LWW clock of entries this incarnation appends: the fence itself. */
    public LWWRegister.Clock<MetadataEntry> clock() {
        long v = value;
        return (current, entry) -> v;
    }

    /**
     * Why this incarnation may not write {@code entry} into {@code log} as the local replica holds it, or
     * null: a later epoch is there (the log moved on), or the epoch holds another entry written under an
     * equal or higher fence (a lower one is an entry its incarnation never counted, see above).
     */
    public String refusal(LWWMap<String, MetadataEntry> log, MetadataEntry entry) {
        String key = MetadataLog.key(entry.epoch());
        Map<String, LWWRegister<MetadataEntry>> regs = log.underlying().getEntries();
        for (String k : regs.keySet()) {
            if (k.compareTo(key) > 0) {
                return "the log already holds epoch " + Long.parseLong(k) + " beyond " + entry.epoch();
            }
        }
        LWWRegister<MetadataEntry> there = regs.get(key);
        if (there != null && !there.getValue().equals(entry) && there.timestamp() >= value) {
            return "epoch " + entry.epoch() + " already holds " + there.getValue().describe();
        }
        return null;
    }
}
