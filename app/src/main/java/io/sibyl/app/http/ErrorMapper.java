package io.sibyl.app.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.sibyl.app.errors.RequestException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where exceptions become docs/api.md errors. A client mistake is never a 500. */
public final class ErrorMapper {
    private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);

    private ErrorMapper() {}

    /** An error as code, status, message and details; the HTTP layer renders it. */
    public record ApiError(String code, int status, String message, Map<String, Object> details) {
        public Map<String, Object> body() {
            Map<String, Object> err = new LinkedHashMap<>();
            err.put("code", code);
            err.put("message", message == null ? code : message);
            err.putAll(details);
            return Map.of("error", err);
        }
    }

    public static HttpResponse toResponse(Throwable t, String what) {
        ApiError e = toError(t, what);
        return Responses.json(e.status(), e.body());
    }

    public static ApiError toError(Throwable t, String what) {
        Throwable c = unwrap(t);
        if (c instanceof RequestException re) {
            return new ApiError(re.code(), re.status(), re.getMessage(), re.details());
        }
        for (ExceptionTranslator tr : ExceptionTranslator.ALL) {
            ApiError e = tr.translate(c);
            if (e != null) return e;
        }
        if (c instanceof JsonProcessingException jpe) {
            return new ApiError("INVALID", 400, "malformed JSON: " + jpe.getOriginalMessage(), Map.of());
        }
        if (c instanceof java.nio.charset.CharacterCodingException) {
            return new ApiError("INVALID", 400, "request is not valid UTF-8", Map.of());
        }
        String requestId = UUID.randomUUID().toString();
        log.error("request {} failed with an internal error ({})", requestId, what, c);
        return new ApiError("SERVER_ERROR", 500, "internal error: " + c, Map.of("request_id", requestId));
    }

    public static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }
}
