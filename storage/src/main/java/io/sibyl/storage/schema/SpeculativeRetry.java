package io.sibyl.storage.schema;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A table's {@code speculative_retry} option (Cassandra's rapid read protection): how long a read
 * coordinator waits for the replicas it asked before asking one more. As in Cassandra 4:
 * <ul>
 *   <li>{@code 99p} (the default) — a percentile of the table's recent read latency as seen by the
 *       coordinator ({@code 99PERCENTILE}, Cassandra's older spelling, is accepted too);</li>
 *   <li>{@code 50ms} — a fixed delay;</li>
 *   <li>{@code ALWAYS} — the extra replica is asked at once;</li>
 *   <li>{@code NONE} — never.</li>
 * </ul>
 * Cassandra's {@code MIN(..)}/{@code MAX(..)} combinations are not supported. {@link #toString} is the
 * canonical form (what DESCRIBE prints and the schema stores).
 *
 * @param kind  which rule
 * @param value the percentile (0 &lt; p &lt; 100) for {@link Kind#PERCENTILE}, the milliseconds (&ge; 0)
 *              for {@link Kind#FIXED}, else 0
 */
public record SpeculativeRetry(Kind kind, double value) {

    public enum Kind { PERCENTILE, FIXED, ALWAYS, NONE }

    public static final SpeculativeRetry DEFAULT = new SpeculativeRetry(Kind.PERCENTILE, 99);
    public static final SpeculativeRetry ALWAYS = new SpeculativeRetry(Kind.ALWAYS, 0);
    public static final SpeculativeRetry NONE = new SpeculativeRetry(Kind.NONE, 0);

    private static final Pattern PERCENTILE = Pattern.compile("^([0-9]+(?:\\.[0-9]+)?)(?:p|percentile)$");
    private static final Pattern FIXED = Pattern.compile("^([0-9]+(?:\\.[0-9]+)?)ms$");

    public SpeculativeRetry {
        if (kind == null) {
            throw new IllegalArgumentException("speculative_retry kind must be given");
        }
        switch (kind) {
            case PERCENTILE -> {
                if (!(value > 0 && value < 100)) {
                    throw new IllegalArgumentException("speculative_retry percentile must be between 0 and 100 (exclusive), was " + value);
                }
            }
            case FIXED -> {
                if (!(value >= 0) || Double.isInfinite(value)) {
                    throw new IllegalArgumentException("speculative_retry milliseconds must be non-negative, was " + value);
                }
            }
            default -> value = 0;
        }
    }

    public static SpeculativeRetry percentile(double p) {
        return new SpeculativeRetry(Kind.PERCENTILE, p);
    }

    public static SpeculativeRetry fixedMillis(double ms) {
        return new SpeculativeRetry(Kind.FIXED, ms);
    }

    /**
     * Parses the option's value, case-insensitively ({@code '99p'}, {@code '99PERCENTILE'},
     * {@code '10ms'}, {@code 'ALWAYS'}, {@code 'NONE'}).
     *
     * @throws IllegalArgumentException naming the value when it is none of these
     */
    public static SpeculativeRetry parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("Invalid value for speculative_retry: null");
        }
        String s = text.trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "always" -> {
                return ALWAYS;
            }
            case "none" -> {
                return NONE;
            }
            default -> {
            }
        }
        try {
            Matcher m = PERCENTILE.matcher(s);
            if (m.matches()) {
                return percentile(Double.parseDouble(m.group(1)));
            }
            m = FIXED.matcher(s);
            if (m.matches()) {
                return fixedMillis(Double.parseDouble(m.group(1)));
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid value '" + text + "' for speculative_retry: " + e.getMessage());
        }
        throw new IllegalArgumentException("Invalid value '" + text
                + "' for speculative_retry: expected a percentile ('99p'), milliseconds ('10ms'), 'ALWAYS' or 'NONE'");
    }

    @Override
    public String toString() {
        return switch (kind) {
            case PERCENTILE -> number(value) + "p";
            case FIXED -> number(value) + "ms";
            case ALWAYS -> "ALWAYS";
            case NONE -> "NONE";
        };
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
