package io.sibyl.actors.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sibyl.storage.schema.ColumnKind;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.schema.SpeculativeRetry;
import io.sibyl.storage.schema.TableParams;
import io.sibyl.storage.types.CqlTypes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** The schema's one on-disk and on-wire form: canonical JSON (sorted keys, types as CQL text). */
public final class SchemaCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private SchemaCodec() {}

    public static byte[] encode(Schema schema) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", 1);
        ObjectNode kss = root.putObject("keyspaces");
        for (KeyspaceMetadata ks : schema.keyspaces().values()) {
            ObjectNode k = kss.putObject(ks.name());
            ObjectNode repl = k.putObject("replication");
            ks.replication().forEach(repl::put);
            k.put("durable_writes", ks.durableWrites());
            ObjectNode tables = k.putObject("tables");
            for (TableMetadata t : ks.tables().values()) {
                tables.set(t.name(), encodeTable(t));
            }
        }
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode encodeTable(TableMetadata t) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", t.id().toString());
        ArrayNode cols = n.putArray("columns");
        for (ColumnMetadata c : t.columns()) {
            ObjectNode cn = cols.addObject();
            cn.put("name", c.name());
            cn.put("type", c.type().cqlName());
            cn.put("kind", c.kind().name());
            cn.put("position", c.position());
            cn.put("reversed", c.reversed());
        }
        TableParams p = t.params();
        ObjectNode pn = n.putObject("params");
        pn.put("default_time_to_live", p.defaultTimeToLive());
        pn.put("gc_grace_seconds", p.gcGraceSeconds());
        pn.put("comment", p.comment());
        pn.put("speculative_retry", p.speculativeRetry().toString());
        ObjectNode comp = pn.putObject("compaction");
        new TreeMap<>(p.compaction()).forEach(comp::put);
        ObjectNode dropped = pn.putObject("dropped_columns");
        p.droppedColumns().forEach(dropped::put);
        return n;
    }

    /** One table in the canonical form (the value of a table entry in the replicated schema map). */
    static String encodeTableJson(TableMetadata t) {
        try {
            return MAPPER.writeValueAsString(encodeTable(t));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TableMetadata decodeTableJson(String keyspace, String table, String json) {
        try {
            return decodeTable(keyspace, table, MAPPER.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read table " + keyspace + "." + table, e);
        }
    }

    /** A keyspace's own options (replication, durable_writes) in canonical form, without its tables. */
    static String encodeKeyspaceJson(KeyspaceMetadata ks) {
        ObjectNode k = MAPPER.createObjectNode();
        ObjectNode repl = k.putObject("replication");
        ks.replication().forEach(repl::put);
        k.put("durable_writes", ks.durableWrites());
        try {
            return MAPPER.writeValueAsString(k);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static KeyspaceMetadata decodeKeyspaceJson(String name, String json, Map<String, TableMetadata> tables) {
        try {
            JsonNode k = MAPPER.readTree(json);
            Map<String, String> repl = new LinkedHashMap<>();
            k.path("replication").fields().forEachRemaining(r -> repl.put(r.getKey(), r.getValue().asText()));
            return new KeyspaceMetadata(name, repl, k.path("durable_writes").asBoolean(true), tables);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read keyspace " + name, e);
        }
    }

    public static Schema decode(byte[] bytes) {
        try {
            JsonNode root = MAPPER.readTree(bytes);
            Map<String, KeyspaceMetadata> kss = new LinkedHashMap<>();
            var it = root.path("keyspaces").fields();
            while (it.hasNext()) {
                var e = it.next();
                JsonNode k = e.getValue();
                Map<String, String> repl = new LinkedHashMap<>();
                k.path("replication").fields().forEachRemaining(r -> repl.put(r.getKey(), r.getValue().asText()));
                Map<String, TableMetadata> tables = new LinkedHashMap<>();
                var tit = k.path("tables").fields();
                while (tit.hasNext()) {
                    var te = tit.next();
                    tables.put(te.getKey(), decodeTable(e.getKey(), te.getKey(), te.getValue()));
                }
                kss.put(e.getKey(), new KeyspaceMetadata(e.getKey(), repl, k.path("durable_writes").asBoolean(true), tables));
            }
            return new Schema(kss);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema", e);
        }
    }

    private static TableMetadata decodeTable(String ks, String name, JsonNode n) {
        List<ColumnMetadata> cols = new ArrayList<>();
        for (JsonNode c : n.path("columns")) {
            cols.add(new ColumnMetadata(c.path("name").asText(), CqlTypes.parse(c.path("type").asText()),
                    ColumnKind.valueOf(c.path("kind").asText()), c.path("position").asInt(), c.path("reversed").asBoolean()));
        }
        JsonNode p = n.path("params");
        Map<String, String> compaction = new LinkedHashMap<>();
        p.path("compaction").fields().forEachRemaining(e -> compaction.put(e.getKey(), e.getValue().asText()));
        Map<String, Long> dropped = new LinkedHashMap<>();
        p.path("dropped_columns").fields().forEachRemaining(e -> dropped.put(e.getKey(), e.getValue().asLong()));
        TableParams params = new TableParams(p.path("default_time_to_live").asInt(),
                p.path("gc_grace_seconds").asInt(TableParams.DEFAULT_GC_GRACE_SECONDS), compaction, dropped,
                p.path("comment").asText(""),
                // Absent in schemas written before the option existed: the default.
                p.hasNonNull("speculative_retry") ? SpeculativeRetry.parse(p.get("speculative_retry").asText())
                        : SpeculativeRetry.DEFAULT);
        return new TableMetadata(ks, name, UUID.fromString(n.path("id").asText()), cols, params);
    }
}
