package io.sibyl.stress;

import java.time.Duration;

/** What a run measures with: {@link LoadDriver} (HTTP) or {@link CqlLoadDriver} (CQL native protocol). */
interface LoadGenerator {

    void start();

    /** No lane sends again; requests in flight finish (or time out) on their own. */
    void stop();

    /** Waits until every lane has retired after {@link #stop()}. */
    boolean awaitIdle(Duration max) throws InterruptedException;
}
