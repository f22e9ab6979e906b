package io.sibyl.app.http.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sibyl.actors.hints.HintTargetStats;
import io.sibyl.actors.ring.NodeId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HintRoutesTest {

    @Test
    void listsEachTargetWithPendingBytesAndOldest() {
        var body = HintRoutes.body(List.of(
                new HintTargetStats(NodeId.of("n1"), 3, 120, Optional.of(Instant.parse("2026-01-02T03:04:05.678Z"))),
                new HintTargetStats(NodeId.of("n2"), 1, 40, Optional.empty())));
        List<?> targets = (List<?>) body.get("targets");
        assertEquals(2, targets.size());
        Map<?, ?> first = (Map<?, ?>) targets.get(0);
        assertEquals("n1", first.get("node"));
        assertEquals(3L, first.get("hints_pending"));
        assertEquals(120L, first.get("bytes"));
        assertEquals("2026-01-02T03:04:05.678Z", first.get("oldest"));
        assertEquals(null, ((Map<?, ?>) targets.get(1)).get("oldest"));
    }

    @Test
    void noHintsIsAnEmptyList() {
        assertEquals(Map.of("targets", List.of()), HintRoutes.body(List.of()));
    }
}
