package io.sibyl.app.cql.transport;

import com.datastax.oss.protocol.internal.response.result.ColumnSpec;
import com.datastax.oss.protocol.internal.response.result.DefaultRows;
import com.datastax.oss.protocol.internal.response.result.Rows;
import com.datastax.oss.protocol.internal.response.result.RowsMetadata;
import io.sibyl.actors.cluster.RingView;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.schema.KeyspaceMetadata;
import io.sibyl.actors.schema.Schema;
import io.sibyl.app.cql.ast.Literal;
import io.sibyl.app.cql.ast.Operator;
import io.sibyl.app.cql.ast.Relation;
import io.sibyl.app.cql.ast.Select;
import io.sibyl.app.cql.ast.Term;
import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.types.CqlType;
import io.sibyl.storage.types.CqlTypes;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The read-only system tables drivers and cqlsh query to connect, route and describe:
 * {@code system.local}, {@code system.peers}, {@code system.peers_v2} from the ring view (peers' native
 * ports as their ring records publish them), and {@code system_schema.keyspaces/tables/columns} from the
 * schema, listing the {@code system} and {@code system_schema} tables themselves as Cassandra does (cqlsh
 * needs a table's metadata to print a SELECT from it); the other {@code system_schema} tables (types,
 * functions, aggregates, views, indexes, triggers, dropped_columns) exist with Cassandra 4's columns and
 * answer no rows; {@code system_virtual_schema} describes only itself. Rows are filtered by the {@code =} and
 * {@code IN} restrictions of literal values drivers use ({@code WHERE keyspace_name = 'ks'}).
 */
final class SystemTables {

    static final String RELEASE_VERSION = "4.0.0";
    static final String CQL_VERSION = "3.4.5";
    static final String PARTITIONER = "org.apache.cassandra.dht.Murmur3Partitioner";

    record Column(String name, CqlType type) {}

    /** The system_schema tables drivers and cqlsh read; keyspaces, tables and columns have rows. */
    static final List<String> SYSTEM_SCHEMA_TABLES = List.of("keyspaces", "tables", "columns", "dropped_columns",
            "types", "functions", "aggregates", "views", "indexes", "triggers");

    /**
     * Tables that exist with Cassandra 4's columns and have no rows: Sibyl has no user types, functions,
     * aggregates, materialized views, secondary indexes, triggers, dropped-column records or virtual tables.
     */
    private static final Map<String, List<Column>> EMPTY_TABLES = Map.ofEntries(
            Map.entry("system_schema.dropped_columns", List.of(col("keyspace_name", "text"), col("table_name", "text"),
                    col("column_name", "text"), col("dropped_time", "timestamp"), col("kind", "text"), col("type", "text"))),
            Map.entry("system_schema.types", List.of(col("keyspace_name", "text"), col("type_name", "text"),
                    col("field_names", "frozen<list<text>>"), col("field_types", "frozen<list<text>>"))),
            Map.entry("system_schema.functions", List.of(col("keyspace_name", "text"), col("function_name", "text"),
                    col("argument_types", "frozen<list<text>>"), col("argument_names", "frozen<list<text>>"),
                    col("body", "text"), col("called_on_null_input", "boolean"), col("language", "text"),
                    col("return_type", "text"))),
            Map.entry("system_schema.aggregates", List.of(col("keyspace_name", "text"), col("aggregate_name", "text"),
                    col("argument_types", "frozen<list<text>>"), col("final_func", "text"), col("initcond", "text"),
                    col("return_type", "text"), col("state_func", "text"), col("state_type", "text"))),
            Map.entry("system_schema.views", List.of(col("keyspace_name", "text"), col("view_name", "text"),
                    col("additional_write_policy", "text"), col("base_table_id", "uuid"), col("base_table_name", "text"),
                    col("bloom_filter_fp_chance", "double"), col("caching", "frozen<map<text, text>>"), col("cdc", "boolean"),
                    col("comment", "text"), col("compaction", "frozen<map<text, text>>"),
                    col("compression", "frozen<map<text, text>>"), col("crc_check_chance", "double"),
                    col("default_time_to_live", "int"), col("extensions", "frozen<map<text, blob>>"),
                    col("gc_grace_seconds", "int"), col("id", "uuid"), col("include_all_columns", "boolean"),
                    col("max_index_interval", "int"), col("memtable_flush_period_in_ms", "int"),
                    col("min_index_interval", "int"), col("read_repair", "text"), col("speculative_retry", "text"),
                    col("where_clause", "text"))),
            Map.entry("system_schema.indexes", List.of(col("keyspace_name", "text"), col("table_name", "text"),
                    col("index_name", "text"), col("kind", "text"), col("options", "frozen<map<text, text>>"))),
            Map.entry("system_schema.triggers", List.of(col("keyspace_name", "text"), col("table_name", "text"),
                    col("trigger_name", "text"), col("options", "frozen<map<text, text>>"))),
            Map.entry("system_virtual_schema.keyspaces", List.of(col("keyspace_name", "text"))),
            Map.entry("system_virtual_schema.tables", List.of(col("keyspace_name", "text"), col("table_name", "text"),
                    col("comment", "text"))),
            Map.entry("system_virtual_schema.columns", List.of(col("keyspace_name", "text"), col("table_name", "text"),
                    col("column_name", "text"), col("clustering_order", "text"), col("column_name_bytes", "blob"),
                    col("kind", "text"), col("position", "int"), col("type", "text"))));

    /**
     * A system table as {@code system_schema} (or {@code system_virtual_schema}) describes it: its columns,
     * of which the first {@code partitionKey} form the partition key and the next {@code clustering} the
     * clustering columns. Drivers build their metadata from these rows, and cqlsh needs the table's
     * metadata to print a {@code SELECT} from it.
     */
    record SystemTable(String keyspace, String name, List<Column> columns, int partitionKey, int clustering) {
        /** The CREATE TABLE text DESCRIBE prints for it (Cassandra prints such text for its own tables too). */
        String createStatement() {
            StringBuilder sb = new StringBuilder("CREATE TABLE ").append(keyspace).append('.').append(name).append(" (\n");
            for (Column c : columns) {
                sb.append("    ").append(c.name()).append(' ').append(c.type().cqlName()).append(",\n");
            }
            List<String> pk = new ArrayList<>();
            for (int i = 0; i < partitionKey; i++) pk.add(columns.get(i).name());
            sb.append("    PRIMARY KEY (").append(partitionKey > 1 || clustering > 0 ? "(" + String.join(", ", pk) + ")" : pk.get(0));
            for (int i = partitionKey; i < partitionKey + clustering; i++) sb.append(", ").append(columns.get(i).name());
            sb.append(")\n) WITH comment = 'read-only, answered by Sibyl from the node''s ring view and schema';");
            return sb.toString();
        }
    }

    /** The system tables Sibyl answers, as it lists them in its schema tables (initialised on first use). */
    private static final class Definitions {
        static final List<SystemTable> ALL = systemTableDefinitions();
    }

    static List<SystemTable> systemTables() {
        return Definitions.ALL;
    }

    /** The keyspaces {@code system_schema.keyspaces} lists besides the user's (virtual ones are in {@code system_virtual_schema}). */
    static final List<String> LOCAL_SYSTEM_KEYSPACES = List.of("system", "system_schema");

    private static List<SystemTable> systemTableDefinitions() {
        Map<String, int[]> keys = Map.ofEntries(
                Map.entry("system_schema.dropped_columns", new int[] {1, 2}), Map.entry("system_schema.types", new int[] {1, 1}),
                Map.entry("system_schema.functions", new int[] {1, 2}), Map.entry("system_schema.aggregates", new int[] {1, 2}),
                Map.entry("system_schema.views", new int[] {1, 1}), Map.entry("system_schema.indexes", new int[] {1, 2}),
                Map.entry("system_schema.triggers", new int[] {1, 2}), Map.entry("system_virtual_schema.keyspaces", new int[] {1, 0}),
                Map.entry("system_virtual_schema.tables", new int[] {1, 1}), Map.entry("system_virtual_schema.columns", new int[] {1, 2}));
        List<SystemTable> out = new ArrayList<>();
        out.add(new SystemTable("system", "local", localColumns(), 1, 0));
        out.add(new SystemTable("system", "peers", peersColumns(), 1, 0));
        out.add(new SystemTable("system", "peers_v2", peersV2Columns(), 1, 1));
        out.add(new SystemTable("system_schema", "keyspaces", KEYSPACES_COLUMNS, 1, 0));
        out.add(new SystemTable("system_schema", "tables", TABLES_COLUMNS, 1, 1));
        out.add(new SystemTable("system_schema", "columns", COLUMNS_COLUMNS, 1, 2));
        for (Map.Entry<String, List<Column>> e : new java.util.TreeMap<>(EMPTY_TABLES).entrySet()) {
            String[] name = e.getKey().split("\\.");
            int[] k = keys.get(e.getKey());
            out.add(new SystemTable(name[0], name[1], e.getValue(), k[0], k[1]));
        }
        return List.copyOf(out);
    }

    static SystemTable systemTable(String keyspace, String name) {
        for (SystemTable t : systemTables()) {
            if (t.keyspace().equals(keyspace) && t.name().equals(name)) return t;
        }
        return null;
    }

    private final Supplier<RingView> ring;
    private final Supplier<Schema> schema;
    private final String clusterName;
    private final int nativePort;
    private final int httpPort;

    /**
     * @param nativePort this node's native port; a peer's is taken to keep the same offset from its
     *                   HTTP port (see the ADR), which holds when every node uses the same ports and in
     *                   local-cluster
     */
    SystemTables(Supplier<RingView> ring, Supplier<Schema> schema, String clusterName, int nativePort, int httpPort) {
        this.ring = ring;
        this.schema = schema;
        this.clusterName = clusterName;
        this.nativePort = nativePort;
        this.httpPort = httpPort;
    }

    String clusterName() {
        return clusterName;
    }

    /**
     * A node's native port: the one it publishes in its ring record; for a record without one (written
     * by an older build), at the same offset from its HTTP port as this node's (see the ADR).
     */
    int nativePortOf(NodeInfo node) {
        return node.nativePort() > 0 ? node.nativePort() : nativePort + (node.httpPort() - httpPort);
    }

    static boolean isSystemKeyspace(String keyspace) {
        return keyspace != null && (keyspace.equals("system") || keyspace.equals("system_schema")
                || keyspace.equals("system_virtual_schema") || keyspace.equals("system_distributed") || keyspace.equals("system_traces"));
    }

    Rows select(Select select) {
        String ks = select.table().keyspace();
        String table = select.table().name();
        List<Column> columns;
        List<List<Object>> rows;
        switch (ks + "." + table) {
            case "system.local" -> {
                columns = localColumns();
                rows = List.of(localRow());
            }
            case "system.peers" -> {
                columns = peersColumns();
                rows = peers(false);
            }
            case "system.peers_v2" -> {
                columns = peersV2Columns();
                rows = peers(true);
            }
            case "system_schema.keyspaces" -> {
                columns = KEYSPACES_COLUMNS;
                rows = keyspaces();
            }
            case "system_schema.tables" -> {
                columns = TABLES_COLUMNS;
                rows = tables();
            }
            case "system_schema.columns" -> {
                columns = COLUMNS_COLUMNS;
                rows = columns();
            }
            case "system_virtual_schema.keyspaces" -> {
                columns = EMPTY_TABLES.get("system_virtual_schema.keyspaces");
                rows = List.of(List.of("system_virtual_schema"));
            }
            case "system_virtual_schema.tables" -> {
                columns = EMPTY_TABLES.get("system_virtual_schema.tables");
                rows = new ArrayList<>();
                for (SystemTable t : systemTables()) {
                    if (t.keyspace().equals("system_virtual_schema")) rows.add(List.of(t.keyspace(), t.name(), "virtual schema"));
                }
            }
            case "system_virtual_schema.columns" -> {
                columns = EMPTY_TABLES.get("system_virtual_schema.columns");
                rows = systemColumns(List.of("system_virtual_schema"));
            }
            default -> {
                columns = EMPTY_TABLES.get(ks + "." + table);
                if (columns == null) {
                    throw new InvalidRequestException("unconfigured table " + ks + "." + table + " (Sibyl serves "
                            + "system.local, system.peers, system.peers_v2, system_schema."
                            + String.join("/", SYSTEM_SCHEMA_TABLES) + " and system_virtual_schema.keyspaces/tables/columns)");
                }
                rows = List.of();
            }
        }
        rows = filter(columns, rows, select.where());
        if (select.isWildcard()) {
            return render(ks, table, columns, rows);
        }
        return project(ks, table, columns, rows, select.selectors());
    }

    /** The selected columns only (aliases rename them), or {@code count(*)}: what the other selectors need Sibyl cannot compute here. */
    private static Rows project(String ks, String table, List<Column> columns, List<List<Object>> rows,
                                List<io.sibyl.app.cql.ast.Selector> selectors) {
        if (selectors.size() == 1 && selectors.get(0).selectable() instanceof io.sibyl.app.cql.ast.Selectable.CountRows) {
            String name = selectors.get(0).alias() != null ? selectors.get(0).alias() : "count";
            return render(ks, table, List.of(col(name, "bigint")), List.of(List.of((long) rows.size())));
        }
        List<Column> outColumns = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>();
        for (io.sibyl.app.cql.ast.Selector s : selectors) {
            if (!(s.selectable() instanceof io.sibyl.app.cql.ast.Selectable.Column c)) {
                throw new InvalidRequestException("system tables support only column selectors and count(*), not "
                        + s.toCql());
            }
            int index = indexOf(columns, c.name());
            indexes.add(index);
            outColumns.add(new Column(s.alias() != null ? s.alias() : c.name(), columns.get(index).type()));
        }
        List<List<Object>> out = new ArrayList<>();
        for (List<Object> row : rows) {
            List<Object> projected = new ArrayList<>(indexes.size());
            for (int i : indexes) projected.add(row.get(i));
            out.add(projected);
        }
        return render(ks, table, outColumns, out);
    }

    private static int indexOf(List<Column> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) return i;
        }
        throw new InvalidRequestException("Undefined column name " + name);
    }

    private static List<Column> localColumns() {
        return List.of(col("key", "text"), col("bootstrapped", "text"), col("broadcast_address", "inet"),
                col("broadcast_port", "int"), col("cluster_name", "text"), col("cql_version", "text"),
                col("data_center", "text"), col("host_id", "uuid"), col("listen_address", "inet"),
                col("listen_port", "int"), col("native_protocol_version", "text"), col("partitioner", "text"),
                col("rack", "text"), col("release_version", "text"), col("rpc_address", "inet"), col("rpc_port", "int"),
                col("schema_version", "uuid"), col("tokens", "set<text>"));
    }

    private List<Object> localRow() {
        RingView view = ring.get();
        NodeInfo self = view.self();
        InetAddress address = address(self.host());
        List<Object> row = new ArrayList<>();
        row.add("local");
        row.add("COMPLETED");
        row.add(address);
        row.add(self.clusterPort());
        row.add(clusterName);
        row.add(CQL_VERSION);
        row.add(self.dc());
        row.add(hostId(self));
        row.add(address);
        row.add(self.clusterPort());
        row.add("4");
        row.add(PARTITIONER);
        row.add(self.rack());
        row.add(RELEASE_VERSION);
        row.add(address);
        row.add(nativePort);
        row.add(schema.get().version());
        row.add(tokens(view, self));
        return row;
    }

    private static List<Column> peersColumns() {
        return List.of(col("peer", "inet"), col("data_center", "text"), col("host_id", "uuid"),
                col("preferred_ip", "inet"), col("rack", "text"), col("release_version", "text"),
                col("rpc_address", "inet"), col("schema_version", "uuid"), col("tokens", "set<text>"));
    }

    private static List<Column> peersV2Columns() {
        return List.of(col("peer", "inet"), col("peer_port", "int"), col("data_center", "text"), col("host_id", "uuid"),
                col("native_address", "inet"), col("native_port", "int"), col("preferred_ip", "inet"),
                col("preferred_port", "int"), col("rack", "text"), col("release_version", "text"),
                col("schema_version", "uuid"), col("tokens", "set<text>"));
    }

    /** The other ring members (live or not: the driver learns their state from its own connections). */
    private List<List<Object>> peers(boolean v2) {
        RingView view = ring.get();
        UUID schemaVersion = schema.get().version();
        List<List<Object>> rows = new ArrayList<>();
        for (NodeInfo n : view.nodes()) {
            if (n.id().equals(view.selfId())) {
                continue;
            }
            InetAddress address = address(n.host());
            List<Object> row = new ArrayList<>();
            row.add(address);
            if (v2) row.add(n.clusterPort());
            row.add(n.dc());
            row.add(hostId(n));
            if (v2) {
                row.add(address);
                row.add(nativePortOf(n));
                row.add(null);
                row.add(null);
            } else {
                row.add(null);
            }
            row.add(n.rack());
            row.add(RELEASE_VERSION);
            if (!v2) row.add(address);
            row.add(schemaVersion);
            row.add(tokens(view, n));
            rows.add(row);
        }
        return rows;
    }

    private List<List<Object>> keyspaces() {
        List<List<Object>> rows = new ArrayList<>();
        for (String ks : LOCAL_SYSTEM_KEYSPACES) {
            rows.add(List.of(ks, true, Map.of("class", "org.apache.cassandra.locator.LocalStrategy")));
        }
        for (KeyspaceMetadata ks : schema.get().keyspaces().values()) {
            Map<String, String> replication = new LinkedHashMap<>(ks.replication());
            String cls = replication.get("class");
            if (cls != null && !cls.contains(".")) {
                replication.put("class", "org.apache.cassandra.locator." + cls);
            }
            rows.add(List.of(ks.name(), ks.durableWrites(), replication));
        }
        return rows;
    }

    private static final List<Column> KEYSPACES_COLUMNS = List.of(col("keyspace_name", "text"),
            col("durable_writes", "boolean"), col("replication", "frozen<map<text, text>>"));

    private static final List<Column> COLUMNS_COLUMNS = List.of(col("keyspace_name", "text"), col("table_name", "text"),
            col("column_name", "text"), col("clustering_order", "text"), col("column_name_bytes", "blob"),
            col("kind", "text"), col("position", "int"), col("type", "text"));

    private static final List<Column> TABLES_COLUMNS = tableColumns();

    private static List<Column> tableColumns() {
        return List.of(col("keyspace_name", "text"), col("table_name", "text"), col("bloom_filter_fp_chance", "double"),
                col("caching", "frozen<map<text, text>>"), col("comment", "text"),
                col("compaction", "frozen<map<text, text>>"), col("compression", "frozen<map<text, text>>"),
                col("crc_check_chance", "double"), col("default_time_to_live", "int"), col("flags", "frozen<set<text>>"),
                col("gc_grace_seconds", "int"), col("id", "uuid"), col("max_index_interval", "int"),
                col("memtable_flush_period_in_ms", "int"), col("min_index_interval", "int"),
                col("speculative_retry", "text"));
    }

    private List<List<Object>> tables() {
        List<List<Object>> rows = new ArrayList<>();
        for (SystemTable t : systemTables()) {
            if (!LOCAL_SYSTEM_KEYSPACES.contains(t.keyspace())) continue;
            rows.add(List.of(t.keyspace(), t.name(), 0.01, Map.of("keys", "ALL", "rows_per_partition", "NONE"),
                    "read-only, answered by Sibyl", Map.of("class", "org.apache.cassandra.db.compaction.SizeTieredCompactionStrategy"),
                    Map.of(), 1.0, 0, Set.of("compound"), 0,
                    UUID.nameUUIDFromBytes((t.keyspace() + "." + t.name()).getBytes(StandardCharsets.UTF_8)),
                    2048, 0, 128, "99p"));
        }
        for (KeyspaceMetadata ks : schema.get().keyspaces().values()) {
            for (TableMetadata t : ks.tables().values()) {
                Map<String, String> compaction = new LinkedHashMap<>(t.params().compaction());
                List<Object> row = new ArrayList<>();
                row.add(ks.name());
                row.add(t.name());
                row.add(0.01);
                row.add(Map.of("keys", "ALL", "rows_per_partition", "NONE"));
                row.add("");
                row.add(compaction);
                row.add(Map.of());
                row.add(1.0);
                row.add(t.params().defaultTimeToLive());
                row.add(Set.of("compound"));
                row.add(t.params().gcGraceSeconds());
                row.add(t.id());
                row.add(2048);
                row.add(0);
                row.add(128);
                row.add("99p");
                rows.add(row);
            }
        }
        return rows;
    }

    private List<List<Object>> columns() {
        List<List<Object>> rows = systemColumns(LOCAL_SYSTEM_KEYSPACES);
        for (KeyspaceMetadata ks : schema.get().keyspaces().values()) {
            for (TableMetadata t : ks.tables().values()) {
                for (ColumnMetadata c : t.columns()) {
                    String kind = switch (c.kind()) {
                        case PARTITION_KEY -> "partition_key";
                        case CLUSTERING -> "clustering";
                        case STATIC -> "static";
                        default -> "regular";
                    };
                    String order = c.kind() == io.sibyl.storage.schema.ColumnKind.CLUSTERING
                            ? (c.reversed() ? "desc" : "asc") : "none";
                    int position = c.kind() == io.sibyl.storage.schema.ColumnKind.PARTITION_KEY
                            || c.kind() == io.sibyl.storage.schema.ColumnKind.CLUSTERING ? c.position() : -1;
                    rows.add(List.of(ks.name(), t.name(), c.name(), order,
                            c.name().getBytes(StandardCharsets.UTF_8), kind, position, c.type().cqlName()));
                }
            }
        }
        return rows;
    }

    /** system_schema.columns (or system_virtual_schema.columns) rows of the system tables in these keyspaces. */
    private static List<List<Object>> systemColumns(List<String> keyspaces) {
        List<List<Object>> rows = new ArrayList<>();
        for (SystemTable t : systemTables()) {
            if (!keyspaces.contains(t.keyspace())) continue;
            for (int i = 0; i < t.columns().size(); i++) {
                Column c = t.columns().get(i);
                boolean pk = i < t.partitionKey();
                boolean ck = !pk && i < t.partitionKey() + t.clustering();
                rows.add(List.of(t.keyspace(), t.name(), c.name(), ck ? "asc" : "none",
                        c.name().getBytes(StandardCharsets.UTF_8), pk ? "partition_key" : ck ? "clustering" : "regular",
                        pk ? i : ck ? i - t.partitionKey() : -1, c.type().cqlName()));
            }
        }
        return rows;
    }

    /** Rows matching every {@code column = 'literal'} and {@code column IN (...)} restriction. */
    private static List<List<Object>> filter(List<Column> columns, List<List<Object>> rows, List<Relation> where) {
        List<List<Object>> out = new ArrayList<>(rows);
        for (Relation r : where) {
            if (!(r instanceof Relation.SingleColumn sc)) {
                continue;
            }
            int index = -1;
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).name().equals(sc.column())) index = i;
            }
            if (index < 0) {
                throw new InvalidRequestException("Undefined column name " + sc.column());
            }
            Set<String> wanted = new TreeSet<>();
            if (sc.operator() == Operator.EQ && sc.value() instanceof Literal lit) {
                wanted.add(String.valueOf(lit.value()));
            } else if (sc.operator() == Operator.IN && sc.value() instanceof Term.ListLiteral list) {
                for (Term t : list.elements()) {
                    if (t instanceof Literal lit) wanted.add(String.valueOf(lit.value()));
                }
            } else {
                continue;
            }
            int i = index;
            out.removeIf(row -> !wanted.contains(String.valueOf(row.get(i))));
        }
        return out;
    }

    private static Rows render(String ks, String table, List<Column> columns, List<List<Object>> rows) {
        List<ColumnSpec> specs = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            specs.add(new ColumnSpec(ks, table, columns.get(i).name(), i, NativeTypes.rawType(columns.get(i).type())));
        }
        Queue<List<ByteBuffer>> data = new ArrayDeque<>();
        for (List<Object> row : rows) {
            List<ByteBuffer> values = new ArrayList<>(columns.size());
            for (int i = 0; i < columns.size(); i++) {
                Object v = row.get(i);
                values.add(v == null ? null : ByteBuffer.wrap(columns.get(i).type().serialize(normalize(columns.get(i).type(), v))));
            }
            data.add(values);
        }
        return new DefaultRows(new RowsMetadata(specs, null, new int[0], null), data);
    }

    /** Collections in the element order the type's serializer expects. */
    private static Object normalize(CqlType type, Object v) {
        if (v instanceof Set<?> s && type instanceof io.sibyl.storage.types.SetType st) {
            return st.valueOf(new ArrayList<>(s));
        }
        if (v instanceof Map<?, ?> m && type instanceof io.sibyl.storage.types.MapType mt) {
            @SuppressWarnings("unchecked")
            Map<Object, Object> copy = new LinkedHashMap<>((Map<Object, Object>) m);
            return mt.valueOf(copy);
        }
        return v;
    }

    private static Column col(String name, String type) {
        return new Column(name, CqlTypes.parse(type));
    }

    private static Set<String> tokens(RingView view, NodeInfo node) {
        Set<String> out = new LinkedHashSet<>();
        for (long t : view.ring().tokensOf(node.id())) {
            out.add(Long.toString(t));
        }
        return out;
    }

    /** A node id as the UUID drivers expect: itself when it is one, else a name-based UUID of it. */
    static UUID hostId(NodeInfo node) {
        try {
            return UUID.fromString(node.id().value());
        } catch (IllegalArgumentException e) {
            return UUID.nameUUIDFromBytes(node.id().value().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static InetAddress address(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("cannot resolve the node's host " + host, e);
        }
    }
}
