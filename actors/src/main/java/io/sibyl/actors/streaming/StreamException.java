package io.sibyl.actors.streaming;

/** A stream session failed: the source refused or died, a chunk was corrupt, or the data could not be stored. */
public final class StreamException extends RuntimeException {

    public StreamException(String message) {
        super(message);
    }

    public StreamException(String message, Throwable cause) {
        super(message, cause);
    }
}
