package io.sibyl.app.http.routes;

import io.sibyl.actors.hints.HintTargetStats;
import io.sibyl.app.http.HttpApi;
import io.sibyl.app.http.Responses;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/** {@code GET /v1/admin/hints}: the hints this node holds, per target node (docs/api.md). */
public final class HintRoutes {
    private final Supplier<List<HintTargetStats>> stats;

    /** @param stats the current per-target statistics, e.g. {@code hintService::stats} */
    public HintRoutes(Supplier<List<HintTargetStats>> stats) {
        this.stats = Objects.requireNonNull(stats, "stats");
    }

    public void register(HttpApi api) {
        api.get("/v1/admin/hints", r -> Responses.doneOk(body(stats.get())));
    }

    /** {@code {"targets": [{"node", "hints_pending", "bytes", "oldest"}]}}; oldest is ISO-8601 UTC. */
    static Map<String, Object> body(List<HintTargetStats> targets) {
        List<Object> list = new ArrayList<>();
        for (HintTargetStats s : targets) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("node", s.target().value());
            m.put("hints_pending", s.pending());
            m.put("bytes", s.bytes());
            m.put("oldest", s.oldest().map(Object::toString).orElse(null));
            list.add(m);
        }
        return Map.of("targets", list);
    }
}
