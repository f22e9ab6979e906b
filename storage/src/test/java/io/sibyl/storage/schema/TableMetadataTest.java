package io.sibyl.storage.schema;

import io.sibyl.storage.testutil.TestTables;
import io.sibyl.storage.testutil.TestTypes;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TableMetadataTest {

    private final TableMetadata events = TestTables.events();

    @Test
    void groupsColumnsByKind() {
        assertEquals(List.of("pk"), events.partitionKeyColumns().stream().map(ColumnMetadata::name).toList());
        assertEquals(List.of("ck1", "ck2"), events.clusteringColumns().stream().map(ColumnMetadata::name).toList());
        assertEquals(List.of("s"), events.staticColumns().stream().map(ColumnMetadata::name).toList());
        assertEquals(List.of("v1", "v2", "tags"), events.regularColumns().stream().map(ColumnMetadata::name).toList());
        assertTrue(events.clusteringComparator().isReversed(1));
        assertEquals(ColumnKind.STATIC, events.column("s").kind());
    }

    @Test
    void dropAndReAddKeepsTheDropTimeSoOldCellsStayHidden() {
        TableMetadata dropped = events.withColumnDropped("v1", 100);
        assertFalse(dropped.isVisible("v1", 200), "no such column now");
        TableMetadata readded = dropped.withColumnAdded(ColumnMetadata.regular("v1", TestTypes.BIGINT));
        assertFalse(readded.isVisible("v1", 100));
        assertTrue(readded.isVisible("v1", 101));
        assertEquals(events.id(), readded.id());
        assertFalse(events.isVisible("pk", 1), "key columns have no cells");
    }

    @Test
    void rejectsInvalidSchemasAndAlters() {
        assertThrows(IllegalArgumentException.class, () -> new TableMetadata("ks", "t", UUID.randomUUID(),
                List.of(ColumnMetadata.regular("v", TestTypes.BIGINT)), TableParams.DEFAULT));
        assertThrows(IllegalArgumentException.class, () -> events.withColumnDropped("pk", 1));
        assertThrows(IllegalArgumentException.class, () -> events.withColumnAdded(ColumnMetadata.regular("v1", TestTypes.BIGINT)));
        assertThrows(IllegalArgumentException.class, () -> new TableMetadata("ks", "t", UUID.randomUUID(), List.of(
                ColumnMetadata.partitionKey("k", TestTypes.BIGINT, 0),
                ColumnMetadata.staticColumn("s", TestTypes.BIGINT)), TableParams.DEFAULT));
    }
}
