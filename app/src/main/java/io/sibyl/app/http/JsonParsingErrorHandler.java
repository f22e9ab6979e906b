package io.sibyl.app.http;

import java.util.Map;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * The answer to a request pekko-http cannot even parse (an unknown method such as {@code FOO}, a
 * request-target with raw non-ASCII bytes, a URI or header over pekko's limits, a malformed header
 * line): the API's JSON error (docs/api.md, Errors) rather than pekko's plain-text 400/501/414/431.
 * {@code 413 PAYLOAD_TOO_LARGE} stays 413; everything else is {@code 400 INVALID}. Named by
 * {@code pekko.http.server.parsing.error-handler} in the app's reference.conf; pekko instantiates it
 * by reflection (hence the public no-argument constructor).
 */
public final class JsonParsingErrorHandler extends ParsingErrorHandler {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JsonParsingErrorHandler.class);

    public JsonParsingErrorHandler() {
    }

    @Override
    public HttpResponse handle(StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
        String summary = info.summary() == null || info.summary().isEmpty() ? status.reason() : info.summary();
        ErrorMapper.ApiError error = status.intValue() == 413
                ? new ErrorMapper.ApiError("PAYLOAD_TOO_LARGE", 413, "request too large: " + summary, Map.of())
                : new ErrorMapper.ApiError("INVALID", 400, "malformed HTTP request: " + summary, Map.of());
        LOG.warn("Illegal request, answered {} {} (pekko-http: {} {}): {}", error.status(), error.code(),
                status.intValue(), status.reason(), info.formatPretty());
        return Responses.json(error.status(), error.body());
    }
}
