package io.sibyl.actors.repair;

/** Why a repair session could not complete (a replica down or failing, a missing table). */
public final class RepairException extends RuntimeException {
    public RepairException(String message) {
        super(message);
    }

    public RepairException(String message, Throwable cause) {
        super(message, cause);
    }
}
