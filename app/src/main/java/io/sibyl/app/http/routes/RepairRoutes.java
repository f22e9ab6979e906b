package io.sibyl.app.http.routes;

import io.sibyl.actors.repair.RepairOptions;
import io.sibyl.actors.repair.RepairService;
import io.sibyl.actors.repair.RepairStatus;
import io.sibyl.actors.schema.KeyspaceMetadata;
import io.sibyl.actors.schema.SchemaStore;
import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.app.errors.NotFoundException;
import io.sibyl.app.http.ApiRequest;
import io.sibyl.app.http.HttpApi;
import io.sibyl.app.http.Responses;
import io.sibyl.storage.repair.MerkleTree;
import io.sibyl.storage.repair.TokenSubrange;
import io.sibyl.storage.schema.TableMetadata;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Anti-entropy repair (docs/api.md, Operations):
 * <ul>
 *   <li>{@code POST /v1/admin/repair?keyspace=[&table=][&pr=true][&start_token=&end_token=]} starts a
 *       session on this node and answers {@code 202 {"id": ...}} at once;</li>
 *   <li>{@code GET /v1/admin/repair/{id}} its progress and outcome;</li>
 *   <li>{@code GET /v1/admin/repairs} every session this node keeps, oldest first;</li>
 *   <li>{@code GET /v1/admin/merkle?keyspace=&table=[&depth=][&start_token=&end_token=]} this node's
 *       Merkle tree root of a table's data (the whole ring by default), to compare replicas.</li>
 * </ul>
 */
public final class RepairRoutes {
    /** The depth of trees the merkle endpoint builds when none is asked for. */
    static final int DEFAULT_DEBUG_DEPTH = 10;

    private final RepairService repairs;
    private final SchemaStore schema;

    public RepairRoutes(RepairService repairs, SchemaStore schema) {
        this.repairs = repairs;
        this.schema = schema;
    }

    public void register(HttpApi api) {
        api.post("/v1/admin/repair", r -> {
            r.timeout().useAdminTimeout();
            RepairOptions options = options(r);
            String id = repairs.start(options);
            return Responses.done(Responses.json(202, Map.of("id", id)));
        });
        api.get("/v1/admin/repair/{}", r -> {
            RepairStatus s = repairs.status(r.pathParam(0))
                    .orElseThrow(() -> new NotFoundException("no repair session " + r.pathParam(0) + " on this node"));
            return Responses.doneOk(body(s));
        });
        api.get("/v1/admin/repairs", r -> Responses.doneOk(
                Map.of("sessions", repairs.sessions().stream().map(RepairRoutes::body).toList())));
        api.get("/v1/admin/merkle", r -> {
            String ks = required(r, "keyspace");
            String t = required(r, "table");
            TableMetadata table = table(ks, t);
            int depth = r.queryInt("depth").orElse(DEFAULT_DEBUG_DEPTH);
            if (depth < 0 || depth > 16) {
                throw new InvalidRequestException("depth must be 0..16, was " + depth);
            }
            TokenSubrange range = subrange(r).orElse(new TokenSubrange(0, 0));
            MerkleTree tree;
            try {
                tree = repairs.localTree(table, range, depth);
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException(e.getMessage());
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("keyspace", ks);
            body.put("table", t);
            body.put("start_token", range.start());
            body.put("end_token", range.end());
            body.put("depth", depth);
            body.put("root", HexFormat.of().formatHex(tree.root()));
            return Responses.doneOk(body);
        });
    }

    private RepairOptions options(ApiRequest r) {
        String ks = required(r, "keyspace");
        KeyspaceMetadata keyspace = schema.current().keyspace(ks);
        if (keyspace == null) {
            throw new NotFoundException("keyspace " + ks + " does not exist");
        }
        List<String> tables = r.query("table").map(List::of).orElse(List.of());
        for (String t : tables) {
            table(ks, t);
        }
        boolean pr = r.query("pr").map(v -> v.equalsIgnoreCase("true") || v.equals("1")).orElse(false);
        return new RepairOptions(ks, tables, pr, subrange(r));
    }

    static Optional<TokenSubrange> subrange(ApiRequest r) {
        Optional<Long> start = r.queryLong("start_token");
        Optional<Long> end = r.queryLong("end_token");
        if (start.isPresent() != end.isPresent()) {
            throw new InvalidRequestException("start_token and end_token go together");
        }
        return start.map(s -> new TokenSubrange(s, end.get()));
    }

    private TableMetadata table(String ks, String t) {
        TableMetadata table = schema.current().table(ks, t);
        if (table == null) {
            throw new NotFoundException("table " + ks + "." + t + " does not exist");
        }
        return table;
    }

    private static String required(ApiRequest r, String name) {
        return r.query(name).filter(v -> !v.isBlank())
                .orElseThrow(() -> new InvalidRequestException("query parameter '" + name + "' is required"));
    }

    /** The status document of docs/api.md. */
    static Map<String, Object> body(RepairStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("keyspace", s.keyspace());
        m.put("tables", s.tables());
        m.put("state", s.state().name());
        m.put("ranges_total", s.rangesTotal());
        m.put("ranges_done", s.rangesDone());
        m.put("mismatched_leaves", s.mismatchedLeaves());
        m.put("partitions_streamed", s.partitionsStreamed());
        m.put("error", s.error());
        return m;
    }
}
