package io.sibyl.storage.types;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text forms of timestamp, date and time as CQL literals and JSON use them. Timestamps without a zone
 * are read as UTC (Cassandra would use the server's zone; a cluster must not depend on that).
 */
public final class TemporalLiterals {

    private static final Pattern TIMESTAMP = Pattern.compile(
            "([+-]?\\d{4,})-(\\d{1,2})-(\\d{1,2})"
                    + "(?:[Tt ](\\d{1,2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?)?"
                    + "\\s*(Z|z|UTC|GMT|[+-]\\d{2}(?::?\\d{2})?)?");
    private static final Pattern DATE = Pattern.compile("([+-]?\\d{4,})-(\\d{1,2})-(\\d{1,2})");
    private static final Pattern TIME = Pattern.compile("(\\d{1,2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?");
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME_NANOS = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSSSSS");

    private TemporalLiterals() {
    }

    /**
     * Reads {@code 2026-11-20}, {@code 2026-11-20T10:15[:30[.123]]} or with a space instead of the T,
     * each optionally followed by {@code Z}, {@code +hh}, {@code +hhmm} or {@code +hh:mm}. Fractions
     * below a millisecond are dropped.
     *
     * @throws IllegalArgumentException when the text is not such a timestamp
     */
    public static Instant parseTimestamp(String text) {
        Matcher m = TIMESTAMP.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("Unable to parse a timestamp from '" + text + "'");
        }
        try {
            LocalDate date = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)));
            LocalTime time = LocalTime.MIDNIGHT;
            if (m.group(4) != null) {
                time = LocalTime.of(Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                        m.group(6) == null ? 0 : Integer.parseInt(m.group(6)), nanos(m.group(7)));
            }
            Instant instant = LocalDateTime.of(date, time).toInstant(offset(m.group(8)));
            return Instant.ofEpochMilli(instant.toEpochMilli());
        } catch (DateTimeException | ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("Unable to parse a timestamp from '" + text + "': " + e.getMessage());
        }
    }

    /** {@code 2026-11-20T00:00:01.000Z}: UTC, always with milliseconds. */
    public static String formatTimestamp(Instant instant) {
        return ISO_MILLIS.format(instant);
    }

    /** Reads {@code yyyy-mm-dd}. */
    public static LocalDate parseDate(String text) {
        Matcher m = DATE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("Unable to coerce '" + text + "' to a formatted date (yyyy-mm-dd)");
        }
        try {
            return LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)));
        } catch (DateTimeException | NumberFormatException e) {
            throw new IllegalArgumentException("Unable to coerce '" + text + "' to a date: " + e.getMessage());
        }
    }

    /** Reads {@code hh:mm:ss[.fffffffff]}. */
    public static LocalTime parseTime(String text) {
        Matcher m = TIME.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("Unable to coerce '" + text + "' to a formatted time (hh:mm:ss[.fffffffff])");
        }
        try {
            return LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)), nanos(m.group(4)));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("Unable to coerce '" + text + "' to a time: " + e.getMessage());
        }
    }

    /** {@code 12:34:56.123456789}: always nine fraction digits, as Cassandra prints a time. */
    public static String formatTime(LocalTime time) {
        return TIME_NANOS.format(time);
    }

    private static int nanos(String fraction) {
        if (fraction == null) {
            return 0;
        }
        return Integer.parseInt((fraction + "000000000").substring(0, 9));
    }

    private static ZoneOffset offset(String zone) {
        if (zone == null || zone.equalsIgnoreCase("Z") || zone.equals("UTC") || zone.equals("GMT")) {
            return ZoneOffset.UTC;
        }
        String digits = zone.substring(1).replace(":", "");
        int hours = Integer.parseInt(digits.substring(0, 2));
        int minutes = digits.length() > 2 ? Integer.parseInt(digits.substring(2)) : 0;
        int sign = zone.charAt(0) == '-' ? -1 : 1;
        return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
    }
}
