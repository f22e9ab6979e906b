package io.sibyl.stress;

/** A run could not be set up or its data could not be loaded; the message says why. */
public final class StressException extends Exception {

    public StressException(String message) {
        super(message);
    }
}
