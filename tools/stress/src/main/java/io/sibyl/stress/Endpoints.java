package io.sibyl.stress;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import java.util.List;

/**
 * The REST row endpoints of one table on every target, with URIs built once: the same PUT and bulk
 * URI is reused for every request, only row reads build a URI per key.
 */
public final class Endpoints {

    private final URI[] base;
    private final String putPath;
    private final String bulkPath;
    private final String rowPrefix;
    private final String consistency;
    private final Duration timeout;
    private SSLSocketFactory tls;
    private Credentials credentials = Credentials.NONE;

    public Endpoints(List<String> targets, String keyspace, String table, String consistency, Duration timeout) {
        int n = targets.size();
        this.base = new URI[n];
        this.consistency = consistency;
        this.timeout = timeout;
        for (int i = 0; i < n; i++) {
            base[i] = URI.create(stripSlash(targets.get(i)));
        }
        String rows = "/v1/keyspaces/" + encodeSegment(keyspace) + "/tables/" + encodeSegment(table) + "/rows";
        this.putPath = rows + "?consistency=" + consistency;
        this.bulkPath = rows + ":bulk?consistency=" + consistency;
        this.rowPrefix = rows + "/";
    }

    /** TLS for https:// targets from this context; null: the JVM's default trust. */
    public Endpoints withSslContext(SSLContext ssl) {
        this.tls = ssl == null ? null : ssl.getSocketFactory();
        return this;
    }

    /** The role every request of this run carries (default: none). */
    public Endpoints withCredentials(Credentials credentials) {
        this.credentials = credentials;
        return this;
    }

    public Credentials credentials() {
        return credentials;
    }

    /** A measured-request connection to a target (TLS for https://, the run's credentials). */
    public HttpConnection connection(int target) {
        return new HttpConnection(base[target], timeout, tls, credentials);
    }

    public int targets() {
        return base.length;
    }

    public Duration timeout() {
        return timeout;
    }

    public URI base(int target) {
        return base[target];
    }

    public StressRequest put(int target, String jsonRow) {
        return new StressRequest("PUT", target, base[target], putPath, "application/json",
                jsonRow.getBytes(StandardCharsets.UTF_8));
    }

    public StressRequest bulk(int target, String ndjson) {
        return new StressRequest("POST", target, base[target], bulkPath, "application/x-ndjson",
                ndjson.getBytes(StandardCharsets.UTF_8));
    }

    /** GET of one partition; {@code limit} &lt;= 0 means no limit. */
    public StressRequest get(int target, String partitionKey, int limit) {
        StringBuilder path = new StringBuilder(rowPrefix.length() + partitionKey.length() + 40)
                .append(rowPrefix).append(encodeSegment(partitionKey))
                .append("?consistency=").append(consistency);
        if (limit > 0) {
            path.append("&limit=").append(limit);
        }
        return new StressRequest("GET", target, base[target], path.toString(), null, null);
    }

    static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Percent-encodes everything but RFC 3986 unreserved characters (generated keys need none). */
    static String encodeSegment(String segment) {
        StringBuilder sb = null;
        byte[] bytes = null;
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            boolean unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~';
            if (!unreserved) {
                bytes = segment.getBytes(StandardCharsets.UTF_8);
                break;
            }
        }
        if (bytes == null) {
            return segment;
        }
        sb = new StringBuilder(bytes.length * 3);
        for (byte b : bytes) {
            int c = b & 0xff;
            boolean unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~';
            if (unreserved) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }
}
