package io.sibyl.stress;

/**
 * Key names. Fixed width and zero-padded so that a read workload addresses exactly the rows an
 * ingest or {@code --load} wrote (key {@code i} is always the same string) and all keys have one size.
 */
public final class Keys {

    static final String USER_PREFIX = "user";
    static final String DEVICE_PREFIX = "device";
    static final int USER_DIGITS = 12;
    static final int DEVICE_DIGITS = 6;

    private Keys() {
    }

    public static String user(long n) {
        return padded(USER_PREFIX, n, USER_DIGITS);
    }

    public static String device(long n) {
        return padded(DEVICE_PREFIX, n, DEVICE_DIGITS);
    }

    /** Appends {@code user(n)} without an intermediate String. */
    static void appendUser(StringBuilder sb, long n) {
        appendPadded(sb, USER_PREFIX, n, USER_DIGITS);
    }

    static void appendDevice(StringBuilder sb, long n) {
        appendPadded(sb, DEVICE_PREFIX, n, DEVICE_DIGITS);
    }

    private static String padded(String prefix, long n, int digits) {
        StringBuilder sb = new StringBuilder(prefix.length() + Math.max(digits, 20));
        appendPadded(sb, prefix, n, digits);
        return sb.toString();
    }

    private static void appendPadded(StringBuilder sb, String prefix, long n, int digits) {
        if (n < 0) {
            throw new IllegalArgumentException("negative key number " + n);
        }
        sb.append(prefix);
        String digitsText = Long.toString(n);
        for (int i = digitsText.length(); i < digits; i++) {
            sb.append('0');
        }
        sb.append(digitsText);
    }
}
