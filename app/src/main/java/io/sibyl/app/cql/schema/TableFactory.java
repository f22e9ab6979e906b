package io.sibyl.app.cql.schema;

import io.sibyl.actors.schema.KeyspaceMetadata;
import io.sibyl.actors.schema.Schema;
import io.sibyl.app.cql.MicrosClock;
import io.sibyl.app.cql.ast.AlterTable;
import io.sibyl.app.cql.ast.ColumnDefinition;
import io.sibyl.app.cql.ast.CreateTable;
import io.sibyl.app.cql.ast.Ordering;
import io.sibyl.app.cql.ast.SortOrder;
import io.sibyl.app.cql.ast.Term;
import io.sibyl.app.errors.AlreadyExistsException;
import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.storage.compaction.CompactionParams;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.schema.SpeculativeRetry;
import io.sibyl.storage.schema.TableParams;
import io.sibyl.storage.types.CqlType;
import io.sibyl.storage.types.CqlTypes;
import io.sibyl.storage.types.TimeUUIDs;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Builds and alters {@link TableMetadata} from CQL, with Cassandra's validation messages. */
final class TableFactory {

    private TableFactory() {}

    static Schema create(CreateTable s, String keyspace, Schema schema) {
        KeyspaceMetadata ks = schema.keyspace(keyspace);
        if (ks == null) throw new InvalidRequestException("Keyspace '" + keyspace + "' doesn't exist");
        SchemaStatementExecutor.validateName("table", s.table().name());
        if (ks.table(s.table().name()) != null) {
            if (s.ifNotExists()) return schema;
            throw new AlreadyExistsException(keyspace, s.table().name());
        }
        if (s.partitionKey().isEmpty()) {
            throw new InvalidRequestException("No PRIMARY KEY specifed for table '" + s.table().name() + "' (exactly one required)");
        }
        Map<String, ColumnDefinition> defs = new LinkedHashMap<>();
        for (ColumnDefinition d : s.columns()) {
            if (defs.put(d.name(), d) != null) {
                throw new InvalidRequestException("Duplicate column '" + d.name() + "' declaration for table " + keyspace + "." + s.table().name());
            }
        }
        Set<String> keyNames = new HashSet<>();
        List<ColumnMetadata> columns = new ArrayList<>();
        Map<String, Boolean> reversed = clusteringOrder(s.clusteringOrder(), s.clusteringKey());
        for (int i = 0; i < s.partitionKey().size(); i++) {
            String n = s.partitionKey().get(i);
            CqlType type = keyType(defs, n, keyNames);
            columns.add(ColumnMetadata.partitionKey(n, type, i));
        }
        for (int i = 0; i < s.clusteringKey().size(); i++) {
            String n = s.clusteringKey().get(i);
            CqlType type = keyType(defs, n, keyNames);
            columns.add(ColumnMetadata.clustering(n, type, i, reversed.getOrDefault(n, false)));
        }
        for (ColumnDefinition d : s.columns()) {
            if (keyNames.contains(d.name())) {
                if (d.isStatic()) throw new InvalidRequestException("Static column " + d.name() + " cannot be part of the PRIMARY KEY");
                continue;
            }
            CqlType type = type(d);
            if (d.isStatic()) {
                if (s.clusteringKey().isEmpty()) {
                    throw new InvalidRequestException("Static columns are only useful (and thus allowed) if the table has at least one clustering column");
                }
                columns.add(ColumnMetadata.staticColumn(d.name(), type));
            } else {
                columns.add(ColumnMetadata.regular(d.name(), type));
            }
        }
        TableParams params = tableParams(TableParams.DEFAULT, s.options());
        TableMetadata t;
        try {
            // a time-based id (like Cassandra's): a dropped and re-created table never reads the old one's data
            t = new TableMetadata(keyspace, s.table().name(), TimeUUIDs.next(), columns, params);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
        return schema.with(ks.withTable(t));
    }

    private static Map<String, Boolean> clusteringOrder(List<Ordering> order, List<String> clustering) {
        Map<String, Boolean> reversed = new LinkedHashMap<>();
        for (int i = 0; i < order.size(); i++) {
            Ordering o = order.get(i);
            if (!clustering.contains(o.column())) {
                throw new InvalidRequestException("Only clustering key columns can be defined in CLUSTERING ORDER directive");
            }
            if (i >= clustering.size() || !clustering.get(i).equals(o.column())) {
                throw new InvalidRequestException("The order of columns in the CLUSTERING ORDER directive must be the one of the clustering key ("
                        + o.column() + " must appear before " + (i < clustering.size() ? clustering.get(i) : "") + ")");
            }
            reversed.put(o.column(), o.order() == SortOrder.DESC);
        }
        return reversed;
    }

    private static CqlType keyType(Map<String, ColumnDefinition> defs, String name, Set<String> keyNames) {
        ColumnDefinition d = defs.get(name);
        if (d == null) throw new InvalidRequestException("Unknown definition " + name + " referenced in PRIMARY KEY");
        if (!keyNames.add(name)) throw new InvalidRequestException("Column " + name + " appears twice in PRIMARY KEY");
        CqlType t = type(d);
        if (t.isMultiCell()) {
            throw new InvalidRequestException("Invalid non-frozen collection type " + t.cqlName() + " for PRIMARY KEY component " + name);
        }
        return t;
    }

    private static CqlType type(ColumnDefinition d) {
        try {
            return CqlTypes.parse(d.type());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("Invalid type for column " + d.name() + ": " + e.getMessage());
        }
    }

    static TableParams tableParams(TableParams base, Map<String, Term> options) {
        TableParams p = base;
        for (Map.Entry<String, Term> e : options.entrySet()) {
            String key = e.getKey().toLowerCase(Locale.ROOT);
            switch (key) {
                case "default_time_to_live" -> {
                    int v = SchemaOptions.integer(key, e.getValue());
                    if (v < 0 || v > 630_720_000) {
                        throw new InvalidRequestException("default_time_to_live must be between 0 and 630720000 (20 years)");
                    }
                    p = p.withDefaultTimeToLive(v);
                }
                case "gc_grace_seconds" -> {
                    int v = SchemaOptions.integer(key, e.getValue());
                    if (v < 0) throw new InvalidRequestException("gc_grace_seconds must be non-negative");
                    p = p.withGcGraceSeconds(v);
                }
                case "compaction" -> p = p.withCompaction(compaction(SchemaOptions.map(key, e.getValue())));
                case "comment" -> p = p.withComment(SchemaOptions.string(key, e.getValue()));
                case "speculative_retry" -> p = p.withSpeculativeRetry(speculativeRetry(SchemaOptions.string(key, e.getValue())));
                default -> {
                    if (!SchemaStatementExecutor.IGNORED_TABLE_OPTIONS.contains(key)) {
                        throw new InvalidRequestException("Unknown property '" + e.getKey() + "'");
                    }
                }
            }
        }
        return p;
    }

    private static SpeculativeRetry speculativeRetry(String value) {
        try {
            return SpeculativeRetry.parse(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
    }

    /** Validated by the storage engine's own parser, so the schema never holds options compaction cannot run. */
    private static Map<String, String> compaction(Map<String, String> options) {
        try {
            return CompactionParams.normalize(options);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
    }

    static TableMetadata alter(TableMetadata t, AlterTable.Action action, MicrosClock clock) {
        if (action instanceof AlterTable.AddColumns add) {
            TableMetadata r = t;
            for (ColumnDefinition d : add.columns()) {
                if (r.column(d.name()) != null) {
                    throw new InvalidRequestException("Column with name '" + d.name() + "' already exists");
                }
                CqlType type = type(d);
                if (d.isStatic() && r.clusteringColumns().isEmpty()) {
                    throw new InvalidRequestException("Static columns are not allowed in COMPACT STORAGE tables or tables without clustering columns");
                }
                r = r.withColumnAdded(d.isStatic() ? ColumnMetadata.staticColumn(d.name(), type) : ColumnMetadata.regular(d.name(), type));
            }
            return r;
        }
        if (action instanceof AlterTable.DropColumns drop) {
            TableMetadata r = t;
            long ts = clock.nextMicros();
            for (String c : drop.columns()) {
                ColumnMetadata col = r.column(c);
                if (col == null) throw new InvalidRequestException("Column " + c + " was not found in table " + t.name());
                if (col.isPrimaryKey()) throw new InvalidRequestException("Cannot drop PRIMARY KEY part " + c);
                r = r.withColumnDropped(c, ts);
            }
            return r;
        }
        AlterTable.SetOptions set = (AlterTable.SetOptions) action;
        return t.withParams(tableParams(t.params(), set.options()));
    }
}
