package io.sibyl.app.http;

import io.sibyl.actors.consistency.OverloadedException;
import io.sibyl.actors.consistency.ReadFailureException;
import io.sibyl.actors.consistency.ReadTimeoutException;
import io.sibyl.actors.consistency.UnavailableException;
import io.sibyl.actors.consistency.WriteTimeoutException;
import io.sibyl.storage.commitlog.MutationTooLargeException;
import io.sibyl.storage.read.TombstoneOverwhelmingException;
import io.sibyl.storage.sstable.CorruptSSTableException;
import io.sibyl.storage.types.InvalidValueException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Translates storage and cluster exceptions into API errors (extended as those modules grow). */
final class EngineExceptionTranslator implements ExceptionTranslator {
    /**
     * The key of {@code reasons} when this node's own replica failed the read (the single-node path, where
     * the storage exception reaches the HTTP layer unwrapped); remote failures arrive as
     * {@link ReadFailureException} keyed by node id.
     */
    static final String LOCAL_REPLICA = "local";

    @Override
    public ErrorMapper.ApiError translate(Throwable t) {
        if (t instanceof InvalidValueException e) {
            return new ErrorMapper.ApiError("INVALID", 400, e.getMessage(), Map.of());
        }
        if (t instanceof io.sibyl.storage.engine.DrainedException e) {
            return new ErrorMapper.ApiError("DRAINED", 503, e.getMessage(), Map.of());
        }
        if (t instanceof io.sibyl.storage.snapshot.SnapshotAlreadyExistsException e) {
            return new ErrorMapper.ApiError("ALREADY_EXISTS", 409, e.getMessage(), Map.of("tag", e.tag()));
        }
        if (t instanceof MutationTooLargeException e) {
            // Over a configured limit (half of commitlog_segment_size): docs/api.md's PAYLOAD_TOO_LARGE, nothing written.
            return new ErrorMapper.ApiError("PAYLOAD_TOO_LARGE", 413, e.getMessage(), Map.of("limit", e.max()));
        }
        // Storage read failures may come wrapped (e.g. by a stream or an executor): look down the cause chain.
        TombstoneOverwhelmingException tombstones = cause(t, TombstoneOverwhelmingException.class);
        if (tombstones != null) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("reasons", Map.of(LOCAL_REPLICA, tombstones.getMessage()));
            d.put("tombstones", tombstones.tombstones());
            d.put("threshold", tombstones.threshold());
            return new ErrorMapper.ApiError("READ_FAILURE", 502, tombstones.getMessage(), d);
        }
        CorruptSSTableException corrupt = cause(t, CorruptSSTableException.class);
        if (corrupt != null) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("reasons", Map.of(LOCAL_REPLICA, corrupt.getMessage()));
            d.put("sstable", String.valueOf(corrupt.file()));
            return new ErrorMapper.ApiError("READ_FAILURE", 502, "read failed: " + corrupt.getMessage(), d);
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

    private static <T extends Throwable> T cause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
