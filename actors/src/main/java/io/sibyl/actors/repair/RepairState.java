package io.sibyl.actors.repair;

/** Where a repair session is. */
public enum RepairState {
    RUNNING,
    SUCCEEDED,
    FAILED
}
