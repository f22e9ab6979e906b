package io.sibyl.stress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The result of a run. {@link #toJson()} has docs/performance.md's fields first, then extras; ops are
 * successful requests only (a bulk request counts once, its rows under {@code rows}).
 */
public record StressSummary(
        String workload,
        long ops,
        double opsPerS,
        long errors,
        double p50Ms,
        double p95Ms,
        double p99Ms,
        double p999Ms,
        double maxMs,
        int concurrency,
        String consistency,
        Map<String, Long> errorsByCode,
        double durationS,
        long rows,
        double rowsPerS,
        long emptyReads,
        int targets,
        int batch,
        double rate,
        int pipeline,
        double clientCpuPct,
        int clientCores) {

    /** docs/performance.md's required JSON fields, in its order. */
    public static final List<String> REQUIRED_FIELDS = List.of("workload", "ops", "ops_per_s", "errors", "p50_ms",
            "p95_ms", "p99_ms", "p999_ms", "max_ms", "concurrency", "consistency");

    private static final ObjectMapper JSON = new ObjectMapper();

    public StressSummary {
        errorsByCode = Map.copyOf(errorsByCode);
    }

    static StressSummary of(StressSettings s, Histogram latencies, Map<String, Long> errorsByCode, long measuredNanos,
                            long rows, long emptyReads, double clientCpuPct) {
        double seconds = measuredNanos / 1e9;
        long ops = latencies.getTotalCount();
        long errors = errorsByCode.values().stream().mapToLong(Long::longValue).sum();
        return new StressSummary(s.workload().label(), ops, ops / seconds, errors,
                ms(latencies, 50), ms(latencies, 95), ms(latencies, 99), ms(latencies, 99.9),
                ops == 0 ? 0 : latencies.getMaxValue() / 1000.0,
                s.concurrency(), s.consistency(), errorsByCode, seconds, rows, rows / seconds, emptyReads,
                s.targets().size(), s.batch(), s.rate(), s.pipeline(), clientCpuPct, CpuMeter.cores());
    }

    private static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("workload", workload);
        m.put("ops", ops);
        m.put("ops_per_s", round(opsPerS, 1));
        m.put("errors", errors);
        m.put("p50_ms", round(p50Ms, 3));
        m.put("p95_ms", round(p95Ms, 3));
        m.put("p99_ms", round(p99Ms, 3));
        m.put("p999_ms", round(p999Ms, 3));
        m.put("max_ms", round(maxMs, 3));
        m.put("concurrency", concurrency);
        m.put("consistency", consistency);
        m.put("errors_by_code", new java.util.TreeMap<>(errorsByCode));
        m.put("duration_s", round(durationS, 3));
        m.put("rows", rows);
        m.put("rows_per_s", round(rowsPerS, 1));
        m.put("empty_reads", emptyReads);
        m.put("targets", targets);
        m.put("batch", batch);
        m.put("rate", rate);
        m.put("pipeline", pipeline);
        m.put("client_cpu_pct", round(clientCpuPct, 1));
        m.put("client_cores", clientCores);
        return m;
    }

    /** One line of JSON. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(toMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("summary is plain data", e);
        }
    }

    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Summary (%s, %.1fs measured, %d targets, concurrency %d, CL %s%s%s%s)%n",
                workload, durationS, targets, concurrency, consistency,
                batch > 1 ? ", batch " + batch : "", pipeline > 1 ? ", pipeline " + pipeline : "", rate > 0 ? String.format(Locale.ROOT, ", rate %.0f/s", rate) : ""));
        sb.append(String.format(Locale.ROOT, "  ops        %d (%.1f ops/s)%n", ops, opsPerS));
        if (batch > 1) {
            sb.append(String.format(Locale.ROOT, "  rows       %d (%.1f rows/s)%n", rows, rowsPerS));
        }
        sb.append(String.format(Locale.ROOT, "  latency ms p50 %.3f  p95 %.3f  p99 %.3f  p999 %.3f  max %.3f%n",
                p50Ms, p95Ms, p99Ms, p999Ms, maxMs));
        sb.append(String.format(Locale.ROOT, "  errors     %d %s%n", errors, errorsByCode.isEmpty() ? "" : new java.util.TreeMap<>(errorsByCode)));
        if (emptyReads > 0) {
            sb.append(String.format(Locale.ROOT, "  empty reads %d (keys not loaded?)%n", emptyReads));
        }
        sb.append(String.format(Locale.ROOT, "  client CPU %.0f%% (100%% = one core; %d cores)%n", clientCpuPct, clientCores));
        return sb.toString();
    }

    private static double round(double v, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(v * scale) / scale;
    }
}
