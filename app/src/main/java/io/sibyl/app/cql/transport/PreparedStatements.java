package io.sibyl.app.cql.transport;

import io.sibyl.app.cql.ast.Statement;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The node's prepared statements by id, least recently used evicted beyond a bound; an EXECUTE of an
 * evicted (or never prepared) id answers UNPREPARED and the driver prepares again. The id is the
 * MD5 of the query text, prefixed by the session keyspace when the statement was prepared under
 * one (as in Cassandra: the same unqualified text means different tables in different keyspaces).
 */
final class PreparedStatements {

    /** A prepared statement: its text, the keyspace it was prepared under, the parsed form and its variables. */
    record Prepared(byte[] id, String query, String keyspace, Statement statement, BindVariables.Analysis variables) {}

    /** Keyed by the id's bytes (a ByteBuffer compares by content): no hex string per EXECUTE. */
    private final Map<java.nio.ByteBuffer, Prepared> byId;

    PreparedStatements(int capacity) {
        this.byId = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<java.nio.ByteBuffer, Prepared> eldest) {
                return size() > capacity;
            }
        };
    }

    static byte[] idOf(String query, String keyspace) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            if (keyspace != null) {
                md5.update(keyspace.getBytes(StandardCharsets.UTF_8));
            }
            return md5.digest(query.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is a required JDK algorithm", e);
        }
    }

    synchronized void put(Prepared p) {
        byId.put(java.nio.ByteBuffer.wrap(p.id().clone()), p);
    }

    /** The statement of that id, or null when it was never prepared here or was evicted. */
    synchronized Prepared get(byte[] id) {
        return byId.get(java.nio.ByteBuffer.wrap(id));
    }

    synchronized int size() {
        return byId.size();
    }
}
