package io.sibyl.stress;

/**
 * Writes JSON string literals straight into a StringBuilder: request bodies are built per request,
 * and a Jackson tree per write would cost more client CPU than the rest of the request path.
 */
public final class JsonText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonText() {
    }

    /** Appends {@code value} as a quoted, escaped JSON string. */
    public static StringBuilder appendString(StringBuilder sb, CharSequence value) {
        return appendString(sb, value, 0, value.length());
    }

    public static StringBuilder appendString(StringBuilder sb, CharSequence value, int from, int to) {
        sb.append('"');
        for (int i = from; i < to; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        sb.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
                                .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"');
    }

    /** Appends {@code "name":} (names here are constants the tool chose, escaped anyway). */
    public static StringBuilder appendName(StringBuilder sb, String name) {
        return appendString(sb, name).append(':');
    }
}
