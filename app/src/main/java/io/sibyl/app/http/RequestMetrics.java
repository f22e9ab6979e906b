package io.sibyl.app.http;

/**
 * Where {@link HttpApi} reports each request. A recorder is asked for once per route when the route is
 * added, so the per-request path records into meters it already holds: no lookups, no tag building.
 */
public interface RequestMetrics {

    /** The recorder for one route ({@code pattern} as registered, e.g. {@code /v1/keyspaces/{}/tables/{}/rows}). */
    Recorder route(String method, String pattern);

    /** Records requests of one route. */
    interface Recorder {
        void record(int status, long nanos);
    }

    RequestMetrics NONE = (method, pattern) -> (status, nanos) -> { };
}
