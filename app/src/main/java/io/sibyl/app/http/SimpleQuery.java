package io.sibyl.app.http;

import java.util.Optional;

/**
 * A query string of plain {@code name=value} pairs ({@code ?consistency=ONE&limit=10}), split without
 * pekko's general URI parser. Only strings where splitting cannot differ from that parser qualify: letters,
 * digits, {@code - _ . ~ , :} in names and values, every pair with an {@code =}, no empty pairs. Anything
 * else (percent escapes, {@code +}, {@code ;}, ...) is {@link #NOT_SIMPLE} and goes to pekko's parser.
 */
final class SimpleQuery {

    static final SimpleQuery NOT_SIMPLE = new SimpleQuery("");

    private final String raw;

    private SimpleQuery(String raw) {
        this.raw = raw;
    }

    static SimpleQuery parse(String raw) {
        if (raw.isEmpty()) {
            return new SimpleQuery(raw);
        }
        int pairStart = 0;
        boolean sawEquals = false;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '&') {
                if (!sawEquals || i == pairStart) {
                    return NOT_SIMPLE;
                }
                pairStart = i + 1;
                sawEquals = false;
            } else if (c == '=') {
                if (i == pairStart) {
                    return NOT_SIMPLE; // empty name
                }
                sawEquals = true;
            } else if (!plain(c)) {
                return NOT_SIMPLE;
            }
        }
        return sawEquals ? new SimpleQuery(raw) : NOT_SIMPLE;
    }

    private static boolean plain(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '.' || c == '~' || c == ',' || c == ':';
    }

    /** The value of the first pair named {@code name}. */
    Optional<String> get(String name) {
        int start = 0;
        int n = raw.length();
        while (start < n) {
            int amp = raw.indexOf('&', start);
            int end = amp < 0 ? n : amp;
            int eq = raw.indexOf('=', start);
            if (eq - start == name.length() && raw.startsWith(name, start)) {
                return Optional.of(raw.substring(eq + 1, end));
            }
            start = end + 1;
        }
        return Optional.empty();
    }
}
