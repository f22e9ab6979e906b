package io.sibyl.app.cql.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.protocol.internal.response.result.ColumnSpec;
import com.datastax.oss.protocol.internal.response.result.Rows;
import io.sibyl.actors.schema.KeyspaceMetadata;
import io.sibyl.actors.schema.Schema;
import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.app.errors.SyntaxErrorException;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.schema.TableParams;
import io.sibyl.storage.types.CqlTypes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Cassandra 4's server-side DESCRIBE, as cqlsh 6 sends it and reads the rows. */
class NativeDescribeTest {

    private static final Schema SCHEMA = Schema.EMPTY.with(
            new KeyspaceMetadata("shop", Map.of("class", "SimpleStrategy", "replication_factor", "3"), true, Map.of())
                    .withTable(new TableMetadata("shop", "orders", UUID.randomUUID(), List.of(
                            ColumnMetadata.partitionKey("customer", CqlTypes.parse("text"), 0),
                            ColumnMetadata.clustering("placed", CqlTypes.parse("timestamp"), 0, true),
                            ColumnMetadata.regular("total", CqlTypes.parse("decimal"))), TableParams.DEFAULT))
                    .withTable(new TableMetadata("shop", "Items", UUID.randomUUID(), List.of(
                            ColumnMetadata.partitionKey("sku", CqlTypes.parse("text"), 0)), TableParams.DEFAULT)));

    private static Rows describe(String cql, String keyspace) {
        return NativeDescribe.describe(cql, SCHEMA, keyspace, "prod");
    }

    private static List<String> columns(Rows rows) {
        List<String> out = new ArrayList<>();
        for (ColumnSpec c : rows.getMetadata().columnSpecs) out.add(c.name);
        return out;
    }

    private static List<String> column(Rows rows, String name) {
        int i = columns(rows).indexOf(name);
        List<String> out = new ArrayList<>();
        for (List<ByteBuffer> row : rows.getData()) out.add(StandardCharsets.UTF_8.decode(row.get(i).duplicate()).toString());
        return out;
    }

    @Test
    void recognisesDescribeAndDescOnly() {
        assertTrue(NativeDescribe.isDescribe("DESCRIBE KEYSPACES"));
        assertTrue(NativeDescribe.isDescribe("  desc table t;"));
        assertFalse(NativeDescribe.isDescribe("DESCRIPTION"));
        assertFalse(NativeDescribe.isDescribe("SELECT * FROM t"));
    }

    @Test
    void keyspacesListsTheSystemOnesAndTheUsers() {
        Rows rows = describe("DESCRIBE KEYSPACES;", null);
        assertEquals(List.of("keyspace_name", "type", "name"), columns(rows));
        assertEquals(List.of("shop", "system", "system_schema", "system_virtual_schema"), column(rows, "name"));
        assertEquals(List.of("keyspace", "keyspace", "keyspace", "keyspace"), column(rows, "type"));
    }

    @Test
    void tablesListsThoseOfTheCurrentKeyspaceOrAll() {
        assertEquals(List.of("Items", "orders"), column(describe("DESC TABLES", "shop"), "name"));
        Rows all = describe("DESC TABLES", null);
        assertTrue(column(all, "name").containsAll(List.of("Items", "orders", "local", "peers_v2", "columns")), column(all, "name").toString());
    }

    @Test
    void tableGivesItsCreateStatement() {
        Rows rows = describe("DESCRIBE TABLE shop.orders", null);
        assertEquals(List.of("keyspace_name", "type", "name", "create_statement"), columns(rows));
        String create = column(rows, "create_statement").get(0);
        assertTrue(create.startsWith("CREATE TABLE shop.orders (\n    customer text,\n    placed timestamp,\n    total decimal,\n"), create);
        assertTrue(create.contains("CLUSTERING ORDER BY (placed DESC)"), create);
        // unqualified: the current keyspace; quoted: case kept
        assertEquals(List.of("orders"), column(describe("DESCRIBE TABLE orders", "shop"), "name"));
        assertEquals(List.of("Items"), column(describe("DESCRIBE TABLE shop.\"Items\"", null), "name"));
        String local = column(describe("DESCRIBE TABLE system.local", null), "create_statement").get(0);
        assertTrue(local.startsWith("CREATE TABLE system.local (\n    key text,") && local.contains("PRIMARY KEY (key)"), local);
    }

    @Test
    void keyspaceGivesItselfThenItsTables() {
        Rows rows = describe("DESCRIBE KEYSPACE shop", null);
        assertEquals(List.of("keyspace", "table", "table"), column(rows, "type"));
        assertTrue(column(rows, "create_statement").get(0).startsWith("CREATE KEYSPACE shop WITH replication = {"));
        assertEquals(List.of("keyspace"), column(describe("DESCRIBE ONLY KEYSPACE shop", null), "type"));
        assertEquals(3, describe("DESCRIBE KEYSPACE", "shop").getData().size());
        // DESCRIBE name: a keyspace, else a table of the current keyspace
        assertEquals(3, describe("DESCRIBE shop", null).getData().size());
        assertEquals(List.of("orders"), column(describe("DESC orders", "shop"), "name"));
        assertEquals(List.of("orders"), column(describe("DESC shop.orders WITH INTERNALS", null), "name"));
    }

    @Test
    void schemaLeavesTheSystemKeyspacesOutUnlessFull() {
        assertEquals(List.of("shop", "Items", "orders"), column(describe("DESCRIBE SCHEMA", null), "name"));
        assertTrue(column(describe("DESCRIBE FULL SCHEMA", null), "name").containsAll(List.of("system", "local", "system_schema")));
    }

    @Test
    void clusterNamesTheClusterAndPartitioner() {
        Rows rows = describe("DESCRIBE CLUSTER", null);
        assertEquals(List.of("cluster", "partitioner", "snitch"), columns(rows));
        assertEquals(List.of("prod"), column(rows, "cluster"));
        assertEquals(List.of("org.apache.cassandra.dht.Murmur3Partitioner"), column(rows, "partitioner"));
    }

    @Test
    void objectsSibylDoesNotHaveAreEmptyListsOrNotFound() {
        assertEquals(0, describe("DESCRIBE TYPES", "shop").getData().size());
        assertEquals(0, describe("DESCRIBE FUNCTIONS", null).getData().size());
        assertTrue(assertThrows(InvalidRequestException.class, () -> describe("DESCRIBE TYPE shop.address", null))
                .getMessage().contains("Type 'address' not found in keyspace 'shop'"));
        assertTrue(assertThrows(InvalidRequestException.class, () -> describe("DESCRIBE MATERIALIZED VIEW shop.v", null))
                .getMessage().contains("Materialized view 'v' not found"));
    }

    @Test
    void unknownNamesAndBadStatementsAreErrors() {
        assertEquals("Table 'nope' not found in keyspace 'shop'",
                assertThrows(InvalidRequestException.class, () -> describe("DESCRIBE TABLE shop.nope", null)).getMessage());
        assertEquals("Keyspace 'nope' not found",
                assertThrows(InvalidRequestException.class, () -> describe("DESCRIBE KEYSPACE nope", null)).getMessage());
        assertThrows(InvalidRequestException.class, () -> describe("DESCRIBE TABLE orders", null));
        assertThrows(InvalidRequestException.class, () -> describe("DESCRIBE nothing", null));
        assertThrows(SyntaxErrorException.class, () -> describe("DESCRIBE", null));
        assertThrows(SyntaxErrorException.class, () -> describe("DESCRIBE KEYSPACES extra", null));
        assertThrows(SyntaxErrorException.class, () -> describe("DESCRIBE FULL TABLES", null));
    }
}
