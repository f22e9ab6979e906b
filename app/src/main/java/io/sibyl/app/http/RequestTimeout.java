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
 *
 * <p>The timeout is armed ({@link #armIfPending}) only for a request whose handler has not answered by
 * the time it returns: pekko-http's own {@code request-timeout} (SibylNode sets it to
 * {@code sibyl.http.request_timeout}) already runs from the request's start, so a request answered at
 * once (a local point read) never touches pekko's timer; arming it costs a timer cancel and reschedule.
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

    private final HttpRequest request;
    /** pekko-http's access to this request's timeout, looked up on first use (null: not yet, or none). */
    private TimeoutAccess access;
    private boolean looked;
    private final Duration requestTimeout;
    private final Duration adminTimeout;
    private volatile Kind kind;
    private volatile ConsistencyLevel consistency;
    private volatile Duration current;

    RequestTimeout(HttpRequest request, Duration requestTimeout, Duration adminTimeout, Kind initial) {
        this.request = request;
        this.requestTimeout = requestTimeout;
        this.adminTimeout = adminTimeout;
        this.kind = initial;
        this.current = requestTimeout;
    }

    private synchronized TimeoutAccess access() {
        if (!looked && request != null) {
            Optional<org.apache.pekko.http.javadsl.model.headers.TimeoutAccess> h =
                    request.getHeader(org.apache.pekko.http.javadsl.model.headers.TimeoutAccess.class);
            access = h.map(org.apache.pekko.http.javadsl.model.headers.TimeoutAccess::timeoutAccess).orElse(null);
            looked = true;
        }
        return access;
    }

    /**
     * Called once the handler returned {@code result}: unless it is complete already, sets the request's
     * timeout ({@code request_timeout}, or the admin one if asked for) and the JSON answer pekko-http
     * gives when it elapses. Measured from the request's start either way (pekko's timeout base).
     */
    void armIfPending(java.util.concurrent.CompletionStage<?> result) {
        if (result instanceof java.util.concurrent.CompletableFuture<?> f && f.isDone()) {
            return;
        }
        TimeoutAccess a = access();
        if (a != null) {
            a.update(current, r -> response());
        }
    }

    /** A request that is not timed (tests build ApiRequests by hand). */
    static RequestTimeout none() {
        return new RequestTimeout();
    }

    private RequestTimeout() {
        this.request = null;
        this.looked = true;
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
        TimeoutAccess a = access();
        if (a != null) {
            a.update(adminTimeout, r -> response());
        }
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
