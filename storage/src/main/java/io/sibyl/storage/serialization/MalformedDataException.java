package io.sibyl.storage.serialization;

/** Bytes that do not decode: truncated, out of range, or written by another format version. */
public final class MalformedDataException extends RuntimeException {

    public MalformedDataException(String message) {
        super(message);
    }

    public MalformedDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
