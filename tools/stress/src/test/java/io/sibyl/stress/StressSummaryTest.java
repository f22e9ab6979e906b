package io.sibyl.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class StressSummaryTest {

    static StressSettings settings(WorkloadKind kind) {
        return new StressSettings(List.of("http://a:1", "http://b:2"), kind, Duration.ofSeconds(2), Duration.ZERO, 16,
                "QUORUM", 1, 100, 1, 0, 1, 0, "stress", false, 1, Duration.ofSeconds(1), Duration.ofSeconds(1), true);
    }

    @Test
    void jsonHasTheBenchmarkFieldsFirstWithTheirValues() throws Exception {
        Histogram h = Stats.newHistogram();
        for (int i = 1; i <= 1000; i++) {
            h.recordValue(i * 1000L); // 1 .. 1000 ms
        }
        StressSummary s = StressSummary.of(settings(WorkloadKind.MIXED), h, Map.of("UNAVAILABLE", 3L, "TIMEOUT", 2L),
                2_000_000_000L, 1000, 0, 37.5);
        JsonNode json = new ObjectMapper().readTree(s.toJson());
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        assertEquals(StressSummary.REQUIRED_FIELDS, names.subList(0, StressSummary.REQUIRED_FIELDS.size()));
        assertEquals("mixed", json.get("workload").asText());
        assertEquals(1000, json.get("ops").asLong());
        assertEquals(500.0, json.get("ops_per_s").asDouble(), 1e-9);
        assertEquals(5, json.get("errors").asLong());
        assertEquals(500, json.get("p50_ms").asDouble(), 1);
        assertEquals(950, json.get("p95_ms").asDouble(), 1);
        assertEquals(990, json.get("p99_ms").asDouble(), 1);
        assertEquals(999, json.get("p999_ms").asDouble(), 1);
        assertEquals(1000, json.get("max_ms").asDouble(), 1);
        assertEquals(16, json.get("concurrency").asInt());
        assertEquals("QUORUM", json.get("consistency").asText());
        assertEquals(3, json.get("errors_by_code").get("UNAVAILABLE").asLong());
        assertEquals(37.5, json.get("client_cpu_pct").asDouble(), 1e-9);
        assertEquals(2, json.get("targets").asInt());
        assertTrue(json.get("p50_ms").isNumber() && json.get("ops").isIntegralNumber());
        assertTrue(!s.toJson().contains("\n"), "one line");
    }

    @Test
    void emptyRunHasZeroLatencies() throws Exception {
        StressSummary s = StressSummary.of(settings(WorkloadKind.READ), Stats.newHistogram(), Map.of(), 1_000_000_000L, 0, 0, 1);
        JsonNode json = new ObjectMapper().readTree(s.toJson());
        assertEquals(0, json.get("ops").asLong());
        assertEquals(0.0, json.get("max_ms").asDouble());
        assertEquals(0.0, json.get("p99_ms").asDouble());
    }
}
