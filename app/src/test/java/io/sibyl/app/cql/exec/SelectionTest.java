package io.sibyl.app.cql.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.sibyl.app.cql.QueryResult;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.schema.TableParams;
import io.sibyl.storage.types.CqlTypes;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SelectionTest {

    private static TableMetadata table(UUID id, String... regular) {
        List<ColumnMetadata> cols = new java.util.ArrayList<>(List.of(
                ColumnMetadata.partitionKey("k", CqlTypes.parse("text"), 0),
                ColumnMetadata.clustering("c", CqlTypes.parse("int"), 0, false)));
        for (String r : regular) {
            cols.add(ColumnMetadata.regular(r, CqlTypes.parse("text")));
        }
        return new TableMetadata("ks", "t", id, cols, TableParams.DEFAULT);
    }

    @Test
    void wildcardIsBuiltOncePerMetadataAndRebuiltAfterASchemaChange() {
        UUID id = UUID.randomUUID();
        TableMetadata v1 = table(id, "b", "a");
        Selection s1 = Selection.wildcard(v1);
        assertSame(s1, Selection.wildcard(v1));
        assertEquals(List.of(new QueryResult.ResultColumn("k", "text"), new QueryResult.ResultColumn("c", "int"),
                new QueryResult.ResultColumn("a", "text"), new QueryResult.ResultColumn("b", "text")), s1.specs());
        assertSame(s1.specs(), s1.specs());

        // ALTER TABLE ADD: a new metadata instance with the same id sees the new column
        TableMetadata v2 = table(id, "b", "a", "z");
        Selection s2 = Selection.wildcard(v2);
        assertNotSame(s1, s2);
        assertEquals("z", s2.specs().get(4).name());
        assertEquals(5, s2.columns().size());
        // an equal but distinct instance is not mistaken for the cached one either way: same columns
        assertEquals(s2.specs(), Selection.wildcard(table(id, "b", "a", "z")).specs());
    }
}
