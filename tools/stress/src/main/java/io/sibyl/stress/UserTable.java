package io.sibyl.stress;

import java.util.SplittableRandom;

/** YCSB's {@code usertable}: the rows ingest and --load write and read/mixed address. */
public final class UserTable {

    public static final String TABLE = "usertable";
    public static final int FIELDS = 10;
    public static final int FIELD_LENGTH = 100;
    static final String[] FIELD_NAMES = new String[FIELDS];

    static {
        for (int i = 0; i < FIELDS; i++) {
            FIELD_NAMES[i] = "field" + i;
        }
    }

    private UserTable() {
    }

    public static String createTable(String keyspace) {
        StringBuilder sb = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(keyspace).append('.').append(TABLE)
                .append(" (y_id text PRIMARY KEY");
        for (String f : FIELD_NAMES) {
            sb.append(", ").append(f).append(" text");
        }
        return sb.append(')').toString();
    }

    /** Appends the full row of key number {@code n} as one JSON object (≈1 KB). */
    static void appendRow(StringBuilder sb, long n, RandomText text, SplittableRandom random) {
        sb.append("{\"y_id\":\"");
        Keys.appendUser(sb, n);
        sb.append('"');
        for (String f : FIELD_NAMES) {
            sb.append(',');
            JsonText.appendName(sb, f);
            text.appendJsonString(sb, FIELD_LENGTH, random);
        }
        sb.append('}');
    }

    /** Appends a row naming only the key and one field: an update of that field. */
    static void appendFieldUpdate(StringBuilder sb, long n, int field, RandomText text, SplittableRandom random) {
        sb.append("{\"y_id\":\"");
        Keys.appendUser(sb, n);
        sb.append("\",");
        JsonText.appendName(sb, FIELD_NAMES[field]);
        text.appendJsonString(sb, FIELD_LENGTH, random);
        sb.append('}');
    }

    /** NDJSON of {@code count} full rows with key numbers from {@code first}. */
    static void appendRows(StringBuilder sb, long first, int count, RandomText text, SplittableRandom random) {
        for (int i = 0; i < count; i++) {
            appendRow(sb, first + i, text, random);
            sb.append('\n');
        }
    }

    /** The pool every user-table workload draws field values from. */
    static RandomText newText(long seed) {
        return new RandomText(64 * 1024, seed);
    }
}
