package io.sibyl.app.errors;

import java.util.LinkedHashMap;
import java.util.Map;

/** CREATE without IF NOT EXISTS of something that exists: {@code ALREADY_EXISTS}, 409. */
public final class AlreadyExistsException extends RequestException {
    private final String keyspace;
    private final String table;

    public AlreadyExistsException(String keyspace, String table) {
        super(table == null
                ? "Keyspace " + keyspace + " already exists"
                : "Table " + keyspace + "." + table + " already exists");
        this.keyspace = keyspace;
        this.table = table;
    }

    @Override public String code() { return "ALREADY_EXISTS"; }
    @Override public int status() { return 409; }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("keyspace", keyspace);
        d.put("table", table == null ? "" : table);
        return d;
    }
}
