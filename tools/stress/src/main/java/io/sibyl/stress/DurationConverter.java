package io.sibyl.stress;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/**
 * Parses the tool's durations: {@code 60s}, {@code 500ms}, {@code 2m}, {@code 1h}, {@code 1m30s},
 * {@code 250us}; a bare number means seconds, as in cassandra-stress.
 */
public final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty duration");
        }
        String s = text.trim().toLowerCase(java.util.Locale.ROOT);
        long nanos = 0;
        int i = 0;
        while (i < s.length()) {
            int numStart = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            if (numStart == i) {
                throw new IllegalArgumentException("bad duration '" + text + "': expected a number at " + numStart);
            }
            double amount;
            try {
                amount = Double.parseDouble(s.substring(numStart, i));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad duration '" + text + "'", e);
            }
            int unitStart = i;
            while (i < s.length() && Character.isLetter(s.charAt(i))) {
                i++;
            }
            String unit = s.substring(unitStart, i);
            if (unit.isEmpty() && (numStart != 0 || i != s.length())) {
                throw new IllegalArgumentException("bad duration '" + text + "': missing unit");
            }
            nanos += Math.round(amount * unitNanos(unit, text));
        }
        return Duration.ofNanos(nanos);
    }

    private static double unitNanos(String unit, String text) {
        return switch (unit) {
            case "", "s", "sec", "secs" -> 1e9;
            case "ms" -> 1e6;
            case "us" -> 1e3;
            case "ns" -> 1;
            case "m", "min", "mins" -> 60e9;
            case "h" -> 3600e9;
            default -> throw new IllegalArgumentException("bad duration '" + text + "': unknown unit '" + unit + "'");
        };
    }

    /** Short human form for progress lines and the summary, e.g. {@code 60s} or {@code 1.5s}. */
    public static String format(Duration d) {
        double seconds = d.toNanos() / 1e9;
        return seconds == Math.rint(seconds) ? (long) seconds + "s" : String.format(java.util.Locale.ROOT, "%.3fs", seconds);
    }
}
