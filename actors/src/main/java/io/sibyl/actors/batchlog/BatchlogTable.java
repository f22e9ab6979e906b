package io.sibyl.actors.batchlog;

import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.schema.TableParams;
import io.sibyl.storage.types.CqlType;
import io.sibyl.storage.types.CqlTypes;

import java.util.List;
import java.util.UUID;

/**
 * {@code system.batches}: the logged batches this node holds for coordinators (its own or others'),
 * one partition per batch, as in Cassandra 4. Like {@code system.paxos} it is an ordinary table of
 * the storage engine that is in no schema, written through the commit log so an entry survives a
 * crash; the engine knows it through {@code PaxosTable.withSystemTables}. See docs/adr/ (batchlog).
 *
 * <pre>
 * CREATE TABLE system.batches (id timeuuid PRIMARY KEY, mutations blob)
 *     WITH gc_grace_seconds = 0
 * </pre>
 * The id's time is the batch's write time. {@code mutations} is {@link Batch}'s encoding (a count,
 * then each mutation as the commit log writes it), kept opaque until replay so that a node holds a
 * batch even for tables its schema does not know yet. Entries are removed with a partition
 * tombstone; {@code gc_grace_seconds = 0} lets compaction purge them at once (nothing is repaired
 * in this table).
 */
public final class BatchlogTable {

    public static final UUID ID = UUID.fromString("5a1b0000-0000-4000-8000-00000000ba7c");
    static final CqlType TIMEUUID = CqlTypes.parse("timeuuid");
    static final CqlType BLOB = CqlTypes.parse("blob");
    static final String MUTATIONS = "mutations";

    public static final TableMetadata METADATA = new TableMetadata("system", "batches", ID, List.of(
            ColumnMetadata.partitionKey("id", TIMEUUID, 0),
            ColumnMetadata.regular(MUTATIONS, BLOB)), TableParams.DEFAULT.withGcGraceSeconds(0));

    private BatchlogTable() {
    }
}
