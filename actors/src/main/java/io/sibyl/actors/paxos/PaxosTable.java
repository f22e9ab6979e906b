package io.sibyl.actors.paxos;

import io.sibyl.actors.batchlog.BatchlogTable;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.schema.TableParams;
import io.sibyl.storage.types.CqlType;
import io.sibyl.storage.types.CqlTypes;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * {@code system.paxos}: every replica's Paxos state, one row per (partition key, table), as in
 * Cassandra. An ordinary table of the storage engine that is in no schema: the engine must be opened
 * with {@link #withSystemTables} so that its SSTables load and its commit log records replay, and
 * schema changes must leave it alone ({@link #isSystemTable}). See docs/adr/009-paxos.md.
 *
 * <pre>
 * CREATE TABLE system.paxos (row_key blob, cf_id uuid, in_progress_ballot timeuuid,
 *     proposal_ballot timeuuid, proposal blob, most_recent_commit_at timeuuid, most_recent_commit blob,
 *     PRIMARY KEY ((row_key), cf_id))
 * </pre>
 */
public final class PaxosTable {

    public static final UUID ID = UUID.fromString("5a1b0000-0000-4000-8000-00000000a705");
    static final CqlType BLOB = CqlTypes.parse("blob");
    static final CqlType UUID_TYPE = CqlTypes.parse("uuid");
    static final CqlType TIMEUUID = CqlTypes.parse("timeuuid");

    static final String PROMISED = "in_progress_ballot";
    static final String PROPOSAL_BALLOT = "proposal_ballot";
    static final String PROPOSAL = "proposal";
    static final String COMMIT_BALLOT = "most_recent_commit_at";
    static final String COMMIT = "most_recent_commit";

    public static final TableMetadata METADATA = new TableMetadata("system", "paxos", ID, List.of(
            ColumnMetadata.partitionKey("row_key", BLOB, 0),
            ColumnMetadata.clustering("cf_id", UUID_TYPE, 0, false),
            ColumnMetadata.regular(PROMISED, TIMEUUID),
            ColumnMetadata.regular(PROPOSAL_BALLOT, TIMEUUID),
            ColumnMetadata.regular(PROPOSAL, BLOB),
            ColumnMetadata.regular(COMMIT_BALLOT, TIMEUUID),
            ColumnMetadata.regular(COMMIT, BLOB)), TableParams.DEFAULT);

    /** Paxos state outlives the table's gc_grace_seconds and at least 3 hours, as in Cassandra. */
    static int ttlSeconds(TableMetadata table) {
        return Math.max(3 * 3600, table.params().gcGraceSeconds());
    }

    private PaxosTable() {
    }

    /** Whether the table is one of the node-local system tables: {@code system.paxos} or {@code system.batches}. */
    public static boolean isSystemTable(UUID tableId) {
        return ID.equals(tableId) || BatchlogTable.ID.equals(tableId);
    }

    /** A schema lookup (table id to metadata) that also knows the system tables (this one and {@link BatchlogTable}). */
    public static Function<UUID, TableMetadata> withSystemTables(Function<UUID, TableMetadata> schema) {
        return id -> ID.equals(id) ? METADATA : BatchlogTable.ID.equals(id) ? BatchlogTable.METADATA : schema.apply(id);
    }
}
