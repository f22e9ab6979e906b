package io.sibyl.actors.schema;

import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.SpeculativeRetry;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.schema.TableParams;
import io.sibyl.storage.types.CqlTypes;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** speculative_retry survives the schema file (restart) and the replicated schema entries (other nodes). */
class SchemaCodecSpeculativeRetryTest {

    private static TableMetadata table(SpeculativeRetry retry) {
        return new TableMetadata("ks", "t", UUID.fromString("00000000-0000-0000-0000-0000000000f1"),
                List.of(ColumnMetadata.partitionKey("k", CqlTypes.parse("int"), 0)),
                TableParams.DEFAULT.withSpeculativeRetry(retry));
    }

    @Test
    void roundTripsThroughTheFileAndTheEntries() {
        for (SpeculativeRetry r : List.of(SpeculativeRetry.DEFAULT, SpeculativeRetry.fixedMillis(7.5),
                SpeculativeRetry.ALWAYS, SpeculativeRetry.NONE, SpeculativeRetry.percentile(50))) {
            TableMetadata t = table(r);
            assertEquals(t, SchemaCodec.decodeTableJson("ks", "t", SchemaCodec.encodeTableJson(t)), r.toString());
            Schema s = new Schema(Map.of("ks", new KeyspaceMetadata("ks",
                    Map.of("class", "SimpleStrategy", "replication_factor", "1"), true, Map.of("t", t))));
            assertEquals(r, SchemaCodec.decode(SchemaCodec.encode(s)).table("ks", "t").params().speculativeRetry());
        }
    }

    @Test
    void aSchemaWrittenBeforeTheOptionExistedReadsTheDefault() {
        String json = SchemaCodec.encodeTableJson(table(SpeculativeRetry.NONE)).replace(",\"speculative_retry\":\"NONE\"", "");
        assertEquals(SpeculativeRetry.DEFAULT, SchemaCodec.decodeTableJson("ks", "t", json).params().speculativeRetry());
    }
}
