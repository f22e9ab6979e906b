package io.sibyl.app.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sibyl.actors.hints.HintTargetStats;
import io.sibyl.actors.ring.NodeId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HintMetricsTest {

    @Test
    void gaugesSumTheHintsHeldForEveryTargetAndFollowChanges() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<HintTargetStats> held = new ArrayList<>();
        HintMetrics.bind(registry, () -> List.copyOf(held));
        assertEquals(0.0, registry.get("sibyl_hints_pending").gauge().value());
        assertEquals(0.0, registry.get("sibyl_hints_oldest_age_seconds").gauge().value());

        held.add(new HintTargetStats(NodeId.of("n2"), 10, 1_000, Optional.of(Instant.now().minusSeconds(60))));
        held.add(new HintTargetStats(NodeId.of("n3"), 5, 400, Optional.of(Instant.now().minusSeconds(5))));
        assertEquals(15.0, registry.get("sibyl_hints_pending").gauge().value());
        assertEquals(1_400.0, registry.get("sibyl_hints_bytes").gauge().value());
        assertEquals(2.0, registry.get("sibyl_hints_targets").gauge().value());
        double age = registry.get("sibyl_hints_oldest_age_seconds").gauge().value();
        assertTrue(age >= 59 && age < 120, "the oldest hint's age: " + age);

        held.clear();
        assertEquals(0.0, registry.get("sibyl_hints_pending").gauge().value());
    }
}
