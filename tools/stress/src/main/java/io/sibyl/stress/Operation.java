package io.sibyl.stress;


/** One request a workload wants sent, with what it means for the counters. */
public record Operation(StressRequest request, Kind kind, int rows) {

    public enum Kind {
        /** One row written with PUT .../rows. */
        WRITE,
        /** A partition read with GET .../rows/{pk}; an empty answer is counted as an empty read. */
        READ,
        /** NDJSON rows through rows:bulk; a 200 answer with "failed" > 0 is an error, not a success. */
        BULK
    }
}
