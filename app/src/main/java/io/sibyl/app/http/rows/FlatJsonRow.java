package io.sibyl.app.http.rows;

import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.types.AsciiText;
import io.sibyl.storage.types.AsciiType;
import io.sibyl.storage.types.TextType;
import io.sibyl.storage.types.TypeCoercion;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fast path of {@link JsonRowReader}: a flat JSON object read straight from its bytes, for the rows
 * that ingest sends by the million. It takes only what it can read exactly as the general path does:
 * names and strings of printable ASCII without escapes, JSON integers and decimals, {@code true},
 * {@code false} and {@code null}, and names of the table's columns. Anything else (an escape, a
 * non-ASCII byte, a nested array or object, an unknown column, any syntax error) makes it answer null,
 * and the caller reads the row again with Jackson, which gives the same values or the exact error.
 *
 * <p>A string for a {@code text}, {@code varchar} or {@code ascii} column becomes an {@link AsciiText}:
 * its bytes are the serialized value already, so it is never decoded into a String, checked, and
 * encoded back (a plain ASCII string is always a valid value of these types). Other values become what
 * the general path's parser gives (BigInteger, BigDecimal, Boolean, String) and are coerced the same way,
 * once the whole row has been read.
 */
final class FlatJsonRow {

    /** Decimal digits that always fit a long. */
    private static final int MAX_LONG_DIGITS = 18;
    /** Longer numbers are left to the general path (Jackson refuses numbers over 1,000 characters). */
    private static final int MAX_NUMBER_CHARS = 100;

    private FlatJsonRow() {
    }

    /** The row in {@code json[offset, offset + length)}, or null if the general path must read it. */
    static Map<ColumnMetadata, Object> tryRead(TableMetadata table, byte[] json, int offset, int length) {
        Reader r = new Reader(json, offset, offset + length);
        return r.row(table);
    }

    private static final class Reader {
        private final byte[] b;
        private final int end;
        private int i;
        private final RowFields<ColumnMetadata> fields = new RowFields<>();

        Reader(byte[] b, int start, int end) {
            this.b = b;
            this.i = start;
            this.end = end;
        }

        Map<ColumnMetadata, Object> row(TableMetadata table) {
            skipWhitespace();
            if (!take('{')) {
                return null;
            }
            skipWhitespace();
            if (!take('}')) {
                while (true) {
                    if (!take('"')) {
                        return null;
                    }
                    int nameStart = i;
                    int nameEnd = plainString();
                    if (nameEnd < 0) {
                        return null;
                    }
                    ColumnMetadata c = table.columnByAsciiName(b, nameStart, nameEnd - nameStart);
                    if (c == null) {
                        return null;
                    }
                    skipWhitespace();
                    if (!take(':')) {
                        return null;
                    }
                    skipWhitespace();
                    if (!value(c)) {
                        return null;
                    }
                    skipWhitespace();
                    if (take(',')) {
                        skipWhitespace();
                        continue;
                    }
                    if (take('}')) {
                        break;
                    }
                    return null;
                }
            }
            skipWhitespace();
            if (i != end) {
                return null; // trailing tokens: the general path words the error
            }
            // Coerced only now, in order and the last value of a repeated name only: the general path checks
            // the whole text first, so bad JSON anywhere is "Could not decode" rather than a value error.
            Map<ColumnMetadata, Object> out = new LinkedHashMap<>(fields.size() * 2);
            for (int k = 0; k < fields.size(); k++) {
                ColumnMetadata c = fields.key(k);
                Object v = fields.value(k);
                out.put(c, v instanceof AsciiText ? v : TypeCoercion.coerce(c.type(), v, c.name()));
            }
            return out;
        }

        /** Reads the value at {@code i} for column {@code c}; false if the general path must. */
        private boolean value(ColumnMetadata c) {
            if (i >= end) {
                return false;
            }
            byte x = b[i];
            Object raw;
            if (x == '"') {
                i++;
                int start = i;
                int stop = plainString();
                if (stop < 0) {
                    return false;
                }
                if (c.type() instanceof TextType || c.type() instanceof AsciiType) {
                    fields.put(c, new AsciiText(Arrays.copyOfRange(b, start, stop)));
                    return true;
                }
                raw = new String(b, start, stop - start, StandardCharsets.US_ASCII);
            } else if (x == '-' || (x >= '0' && x <= '9')) {
                raw = number();
                if (raw == null) {
                    return false;
                }
            } else if (literal("true")) {
                raw = Boolean.TRUE;
            } else if (literal("false")) {
                raw = Boolean.FALSE;
            } else if (literal("null")) {
                raw = null;
            } else {
                return false;
            }
            fields.put(c, raw);
            return true;
        }

        /**
         * After an opening quote: the index of the closing quote, with {@code i} past it, if every byte
         * in between is printable ASCII other than a backslash; otherwise -1.
         */
        private int plainString() {
            for (int k = i; k < end; k++) {
                byte c = b[k];
                if (c == '"') {
                    i = k + 1;
                    return k;
                }
                if (c < 0x20 || c == '\\') { // a control byte, an escape, or (negative) a non-ASCII byte
                    return -1;
                }
            }
            return -1;
        }

        /**
         * A JSON number ({@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}) as the general path's parser
         * gives it: BigInteger without a fraction or exponent, BigDecimal with; null if it is not one.
         */
        private Object number() {
            int start = i;
            int k = i;
            if (b[k] == '-') {
                k++;
            }
            int intStart = k;
            while (k < end && isDigit(b[k])) {
                k++;
            }
            int intDigits = k - intStart;
            if (intDigits == 0 || (intDigits > 1 && b[intStart] == '0')) {
                return null;
            }
            boolean integral = true;
            if (k < end && b[k] == '.') {
                integral = false;
                int f = ++k;
                while (k < end && isDigit(b[k])) {
                    k++;
                }
                if (k == f) {
                    return null;
                }
            }
            if (k < end && (b[k] == 'e' || b[k] == 'E')) {
                integral = false;
                k++;
                if (k < end && (b[k] == '+' || b[k] == '-')) {
                    k++;
                }
                int e = k;
                while (k < end && isDigit(b[k])) {
                    k++;
                }
                if (k == e) {
                    return null;
                }
            }
            if ((k < end && !isDelimiter(b[k])) || k - start > MAX_NUMBER_CHARS) {
                return null; // e.g. "12x", or past the parser's number length limit: the general path words the error
            }
            i = k;
            if (integral && intDigits <= MAX_LONG_DIGITS) {
                long v = 0;
                for (int d = intStart; d < k; d++) {
                    v = v * 10 + (b[d] - '0');
                }
                return BigInteger.valueOf(b[start] == '-' ? -v : v);
            }
            String text = new String(b, start, k - start, StandardCharsets.US_ASCII);
            return integral ? new BigInteger(text) : new BigDecimal(text);
        }

        private boolean literal(String word) {
            int len = word.length();
            if (end - i < len) {
                return false;
            }
            for (int k = 0; k < len; k++) {
                if (b[i + k] != word.charAt(k)) {
                    return false;
                }
            }
            if (i + len < end && !isDelimiter(b[i + len])) {
                return false; // "trueish"
            }
            i += len;
            return true;
        }

        private boolean take(char c) {
            if (i < end && b[i] == c) {
                i++;
                return true;
            }
            return false;
        }

        private void skipWhitespace() {
            while (i < end && isWhitespace(b[i])) {
                i++;
            }
        }

        private static boolean isWhitespace(byte c) {
            return c == ' ' || c == '\n' || c == '\r' || c == '\t';
        }

        private static boolean isDelimiter(byte c) {
            return c == ',' || c == '}' || isWhitespace(c);
        }

        private static boolean isDigit(byte c) {
            return c >= '0' && c <= '9';
        }
    }
}
