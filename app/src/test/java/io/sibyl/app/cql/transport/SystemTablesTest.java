package io.sibyl.app.cql.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.protocol.internal.response.result.ColumnSpec;
import com.datastax.oss.protocol.internal.response.result.Rows;
import io.sibyl.actors.cluster.NodeRecord;
import io.sibyl.actors.cluster.NodeState;
import io.sibyl.actors.cluster.NodeStatus;
import io.sibyl.actors.cluster.RingView;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.TokenRing;
import io.sibyl.actors.schema.Schema;
import io.sibyl.app.cql.ast.Select;
import io.sibyl.app.cql.parse.CqlParser;
import io.sibyl.app.errors.InvalidRequestException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SystemTablesTest {

    private static final NodeInfo SELF = new NodeInfo(NodeId.of("n1"), "127.0.0.1", 8080, 7000, "dc1", "r1", 9042);
    /** Publishes a native port off the HTTP-port rule: the published one wins. */
    private static final NodeInfo PUBLISHED = new NodeInfo(NodeId.of("n2"), "127.0.0.2", 8081, 7001, "dc1", "r1", 19042);
    /** A record of an older build, without a native port: derived from its HTTP port. */
    private static final NodeInfo OLD = new NodeInfo(NodeId.of("n3"), "127.0.0.3", 8082, 7002, "dc1", "r1");

    private static SystemTables tables() {
        TokenRing ring = TokenRing.empty().withNode(SELF, List.of(0L)).withNode(PUBLISHED, List.of(100L))
                .withNode(OLD, List.of(200L));
        RingView view = new RingView(1, SELF, ring, Map.of(
                SELF.id(), new NodeRecord(SELF, List.of(0L), NodeStatus.NORMAL),
                PUBLISHED.id(), new NodeRecord(PUBLISHED, List.of(100L), NodeStatus.NORMAL),
                OLD.id(), new NodeRecord(OLD, List.of(200L), NodeStatus.NORMAL)),
                Map.of(SELF.id(), NodeState.UN, PUBLISHED.id(), NodeState.UN, OLD.id(), NodeState.UN));
        return new SystemTables(() -> view, () -> Schema.EMPTY, "sibyl", 9042, 8080);
    }

    private static Rows select(String cql) {
        return tables().select((Select) CqlParser.parse(cql));
    }

    private static List<String> columns(Rows rows) {
        List<String> out = new ArrayList<>();
        for (ColumnSpec c : rows.getMetadata().columnSpecs) out.add(c.name);
        return out;
    }

    @Test
    void peersV2CarryThePublishedNativePortOrTheDerivedOne() {
        Rows rows = select("SELECT peer, native_port FROM system.peers_v2");
        List<String> cols = columns(rows);
        int portIndex = cols.indexOf("native_port");
        int peerIndex = cols.indexOf("peer");
        Map<String, Integer> ports = new java.util.HashMap<>();
        for (List<ByteBuffer> row : rows.getData()) {
            byte[] addr = new byte[4];
            row.get(peerIndex).duplicate().get(addr);
            ports.put((addr[3] & 0xFF) + "", row.get(portIndex).getInt(0));
        }
        assertEquals(Map.of("2", 19042, "3", 9044), ports);
    }

    @Test
    void everySystemSchemaTableExistsWithCassandrasColumns() {
        for (String t : SystemTables.SYSTEM_SCHEMA_TABLES) {
            Rows rows = select("SELECT * FROM system_schema." + t);
            assertTrue(columns(rows).contains("keyspace_name"), t + ": " + columns(rows));
        }
        assertTrue(columns(select("SELECT * FROM system_schema.views")).containsAll(
                List.of("view_name", "base_table_name", "where_clause", "include_all_columns")));
        assertTrue(columns(select("SELECT * FROM system_schema.types")).containsAll(
                List.of("type_name", "field_names", "field_types")));
        assertTrue(columns(select("SELECT * FROM system_schema.functions")).containsAll(
                List.of("function_name", "argument_types", "argument_names", "body", "language", "return_type",
                        "called_on_null_input")));
        assertTrue(columns(select("SELECT * FROM system_schema.aggregates")).containsAll(
                List.of("aggregate_name", "state_func", "state_type", "final_func", "initcond")));
        assertTrue(columns(select("SELECT * FROM system_schema.indexes")).containsAll(
                List.of("table_name", "index_name", "kind", "options")));
        assertTrue(columns(select("SELECT * FROM system_schema.triggers")).containsAll(
                List.of("table_name", "trigger_name", "options")));
        assertEquals(0, select("SELECT * FROM system_schema.views WHERE keyspace_name = 'ks'").getData().size());
        assertEquals(3, columns(select("SELECT * FROM system_virtual_schema.tables")).size());
    }

    @Test
    void anUnknownSystemTableIsInvalid() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> select("SELECT * FROM system_schema.nope"));
        assertTrue(e.getMessage().contains("unconfigured table"), e.getMessage());
    }
    @Test
    void theSystemKeyspacesAndTablesAreListedAsCassandraListsThem() {
        // cqlsh prints a SELECT only with the table's metadata, which drivers build from these rows
        Rows keyspaces = select("SELECT keyspace_name FROM system_schema.keyspaces");
        assertEquals(List.of("keyspace_name"), columns(keyspaces));
        assertEquals(List.of("system", "system_schema"), text(keyspaces, 0));
        List<String> tables = text(select("SELECT table_name FROM system_schema.tables WHERE keyspace_name = 'system'"), 0);
        assertEquals(List.of("local", "peers", "peers_v2"), tables);
        Rows key = select("SELECT column_name, kind FROM system_schema.columns WHERE keyspace_name = 'system' AND table_name = 'peers_v2'");
        assertEquals(List.of("peer", "peer_port"), text(key, 0).subList(0, 2));
        assertEquals(List.of("partition_key", "clustering", "regular"), text(key, 1).subList(0, 3));
        assertEquals(List.of("system_virtual_schema"), text(select("SELECT * FROM system_virtual_schema.keyspaces"), 0));
    }

    @Test
    void aSelectReturnsTheSelectedColumnsOnly() {
        Rows rows = select("SELECT release_version, cql_version AS cql FROM system.local");
        assertEquals(List.of("release_version", "cql"), columns(rows));
        assertEquals(List.of(SystemTables.RELEASE_VERSION), text(rows, 0));
        Rows count = select("SELECT count(*) FROM system.peers");
        assertEquals(List.of("count"), columns(count));
        assertEquals(2L, count.getData().peek().get(0).getLong(0));
        assertTrue(assertThrows(InvalidRequestException.class, () -> select("SELECT nope FROM system.local"))
                .getMessage().contains("Undefined column name nope"));
        assertThrows(InvalidRequestException.class, () -> select("SELECT writetime(key) FROM system.local"));
    }

    private static List<String> text(Rows rows, int column) {
        List<String> out = new ArrayList<>();
        for (List<ByteBuffer> row : rows.getData()) {
            out.add(java.nio.charset.StandardCharsets.UTF_8.decode(row.get(column).duplicate()).toString());
        }
        return out;
    }
}
