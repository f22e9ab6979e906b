package io.sibyl.app.http;

import io.sibyl.actors.consistency.ConsistencyLevel;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.http.javadsl.TimeoutAccess;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * The request timeout of one request ({@code sibyl.http.request_timeout}, or
 * {@code sibyl.http.admin_request_timeout} for admin operations that wait) and the API error it answers
 * with when it elapses. pekko-http enforces the timeout (it answers even when the handler never
 * completes); this class only sets its length and replaces pekko's plain-text 503 with the JSON error.
 * Routes say what kind of work the request is once they know it (a CQL statement after parsing).
 */
public final class RequestTimeout {

    /** What a request does, and so which API error its timeout answers. */
    public enum Kind {
        READ("READ_TIMEOUT", 504),
        WRITE("WRITE_TIMEOUT", 504),
        OTHER("SERVER_ERROR", 500);

        final String code;
        final int status;

        Kind(String code, int status) {
            this.code = code;
            this.status = status;
        }
    }

    private final Optional<TimeoutAccess> access;
    private final Duration requestTimeout;
    private final Duration adminTimeout;
    private volatile Kind kind;
    private volatile ConsistencyLevel consistency;
    private volatile Duration current;

    RequestTimeout(HttpRequest request, Duration requestTimeout, Duration adminTimeout, Kind initial) {
        this.access = request.getHeader(org.apache.pekko.http.javadsl.model.headers.TimeoutAccess.class)
                .map(h -> h.timeoutAccess());
        this.requestTimeout = requestTimeout;
        this.adminTimeout = adminTimeout;
        this.kind = initial;
        this.current = requestTimeout;
        access.ifPresent(a -> a.update(requestTimeout, r -> response()));
    }

    /** A request that is not timed (tests build ApiRequests by hand). */
    static RequestTimeout none() {
        return new RequestTimeout();
    }

    private RequestTimeout() {
        this.access = Optional.empty();
        this.requestTimeout = Duration.ZERO;
        this.adminTimeout = Duration.ZERO;
        this.kind = Kind.OTHER;
        this.current = Duration.ZERO;
    }

    /** The request reads (or writes) at this consistency level: its timeout answers READ_TIMEOUT/WRITE_TIMEOUT. */
    public void answerAs(Kind kind, ConsistencyLevel consistency) {
        this.kind = kind;
        this.consistency = consistency;
    }

    /** An admin operation that waits (TRUNCATE, compaction, repair): the longer admin timeout applies. */
    public void useAdminTimeout() {
        current = adminTimeout;
        access.ifPresent(a -> a.updateTimeout(adminTimeout));
    }

    /** The JSON answer once the timeout has elapsed (built synchronously by pekko-http's timeout logic). */
    HttpResponse response() {
        return Responses.json(kind.status, error().body());
    }

    ErrorMapper.ApiError error() {
        Map<String, Object> details = new LinkedHashMap<>();
        if (consistency != null) {
            details.put("consistency", consistency.name());
        }
        details.put("timeout_ms", current.toMillis());
        String setting = current == adminTimeout && adminTimeout != requestTimeout
                ? "sibyl.http.admin_request_timeout" : "sibyl.http.request_timeout";
        return new ErrorMapper.ApiError(kind.code, kind.status,
                "the request did not complete within " + setting + " (" + current.toMillis() + " ms)", details);
    }

}
