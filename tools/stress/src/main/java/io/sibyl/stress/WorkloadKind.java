package io.sibyl.stress;

import java.util.Locale;

/** The workloads of docs/performance.md. */
public enum WorkloadKind {
    INGEST, READ, MIXED, TIMESERIES;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Read and mixed address rows that must exist: they are what {@code --load} loads. */
    public boolean needsLoadedKeys() {
        return this == READ || this == MIXED;
    }
}
