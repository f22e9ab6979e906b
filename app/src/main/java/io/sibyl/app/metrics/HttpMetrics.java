package io.sibyl.app.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sibyl.app.http.RequestMetrics;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * {@code sibyl_http_requests_seconds{route, method, status}}: one timer per route and status. Each route's
 * recorder keeps its timers in an array indexed by status, created on the first request with that status,
 * so a request costs an array read and a timer update.
 */
final class HttpMetrics implements RequestMetrics {
    static final String NAME = "sibyl.http.requests";

    private final MeterRegistry registry;

    HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Recorder route(String method, String pattern) {
        return new RouteTimers(registry, method, pattern);
    }

    private static final class RouteTimers implements Recorder {
        private static final int STATUSES = 600;
        private final MeterRegistry registry;
        private final String method;
        private final String route;
        private final AtomicReferenceArray<Timer> byStatus = new AtomicReferenceArray<>(STATUSES);

        RouteTimers(MeterRegistry registry, String method, String route) {
            this.registry = registry;
            this.method = method;
            this.route = route;
        }

        @Override
        public void record(int status, long nanos) {
            int i = status >= 0 && status < STATUSES ? status : 0;
            Timer t = byStatus.get(i);
            if (t == null) {
                // registering twice returns the same timer, so a lost race is harmless
                t = Timer.builder(NAME).description("HTTP requests by route, method and status")
                        .serviceLevelObjectives(LatencyBuckets.BOUNDS)
                        .tags("route", route, "method", method, "status", Integer.toString(status))
                        .register(registry);
                byStatus.set(i, t);
            }
            t.record(nanos, TimeUnit.NANOSECONDS);
        }
    }
}
