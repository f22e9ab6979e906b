package io.sibyl.app.http;

import io.sibyl.actors.consistency.OverloadedException;
import io.sibyl.actors.consistency.ReadFailureException;
import io.sibyl.actors.consistency.ReadTimeoutException;
import io.sibyl.actors.consistency.UnavailableException;
import io.sibyl.actors.consistency.WriteTimeoutException;
import io.sibyl.storage.types.InvalidValueException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Translates storage and cluster exceptions into API errors (extended as those modules grow). */
final class EngineExceptionTranslator implements ExceptionTranslator {
    @Override
    public ErrorMapper.ApiError translate(Throwable t) {
        if (t instanceof InvalidValueException e) {
            return new ErrorMapper.ApiError("INVALID", 400, e.getMessage(), Map.of());
        }
        if (t instanceof OverloadedException e) {
            return new ErrorMapper.ApiError("OVERLOADED", 429, e.getMessage(), Map.of());
        }
        if (t instanceof UnavailableException e) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("consistency", e.consistency().name());
            d.put("required", e.required());
            d.put("alive", e.alive());
            return new ErrorMapper.ApiError("UNAVAILABLE", 503, e.getMessage(), d);
        }
        if (t instanceof WriteTimeoutException e) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("consistency", e.consistency().name());
            d.put("received", e.received());
            d.put("block_for", e.blockFor());
            d.put("write_type", e.writeType().name());
            return new ErrorMapper.ApiError("WRITE_TIMEOUT", 504, e.getMessage(), d);
        }
        if (t instanceof ReadTimeoutException e) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("consistency", e.consistency().name());
            d.put("received", e.received());
            d.put("block_for", e.blockFor());
            d.put("data_present", e.dataPresent());
            return new ErrorMapper.ApiError("READ_TIMEOUT", 504, e.getMessage(), d);
        }
        if (t instanceof ReadFailureException e) {
            Map<String, Object> reasons = new LinkedHashMap<>();
            e.reasons().forEach((node, reason) -> reasons.put(node.toString(), reason));
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("consistency", e.consistency().name());
            d.put("received", e.received());
            d.put("block_for", e.blockFor());
            d.put("reasons", reasons);
            return new ErrorMapper.ApiError("READ_FAILURE", 502, e.getMessage(), d);
        }
        return null;
    }
}
