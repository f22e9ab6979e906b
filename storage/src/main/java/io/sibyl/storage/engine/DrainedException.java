package io.sibyl.storage.engine;

/** A write reached a node that was drained ({@code POST /v1/admin/drain}): it accepts no writes until restarted. */
public final class DrainedException extends RuntimeException {
    public DrainedException() {
        super("this node is drained: it accepts no writes until it is restarted (reads are still served)");
    }
}
