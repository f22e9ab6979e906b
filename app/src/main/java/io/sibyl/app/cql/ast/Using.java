package io.sibyl.app.cql.ast;

/** {@code USING TTL t AND TIMESTAMP t}: either may be null (absent). */
public record Using(Term ttl, Term timestamp) {

    public static final Using NONE = new Using(null, null);

    public static Using timestamp(Term timestamp) {
        return new Using(null, timestamp);
    }

    public static Using ttl(Term ttl) {
        return new Using(ttl, null);
    }

    public boolean isEmpty() {
        return ttl == null && timestamp == null;
    }

    public String toCql() {
        if (isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(" USING ");
        if (ttl != null) {
            sb.append("TTL ").append(ttl.toCql());
        }
        if (timestamp != null) {
            sb.append(ttl != null ? " AND " : "").append("TIMESTAMP ").append(timestamp.toCql());
        }
        return sb.toString();
    }
}
