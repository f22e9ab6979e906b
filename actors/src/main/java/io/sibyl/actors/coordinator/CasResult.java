package io.sibyl.actors.coordinator;

import io.sibyl.storage.read.ReadResult;

import java.util.Objects;

/**
 * The outcome of a lightweight transaction.
 *
 * @param applied whether the update was committed
 * @param current the partition the decision was made on (what a not-applied answer shows)
 */
public record CasResult(boolean applied, ReadResult current) {
    public CasResult {
        Objects.requireNonNull(current, "current");
    }
}
