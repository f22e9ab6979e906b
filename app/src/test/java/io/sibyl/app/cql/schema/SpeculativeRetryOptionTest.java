package io.sibyl.app.cql.schema;

import io.sibyl.actors.schema.KeyspaceMetadata;
import io.sibyl.actors.schema.Schema;
import io.sibyl.app.cql.ast.AlterTable;
import io.sibyl.app.cql.ast.CreateTable;
import io.sibyl.app.cql.parse.CqlParser;
import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.storage.schema.SpeculativeRetry;
import io.sibyl.storage.schema.TableMetadata;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code WITH speculative_retry = '...'} in CREATE and ALTER TABLE, and in DESCRIBE's output. */
class SpeculativeRetryOptionTest {

    private static final Schema EMPTY = new Schema(Map.of("ks",
            new KeyspaceMetadata("ks", Map.of("class", "SimpleStrategy", "replication_factor", "3"), true, Map.of())));

    private static TableMetadata create(String cql) {
        return TableFactory.create((CreateTable) CqlParser.parse(cql), "ks", EMPTY).table("ks", "t");
    }

    private static TableMetadata alter(TableMetadata t, String cql) {
        return TableFactory.alter(t, ((AlterTable) CqlParser.parse(cql)).action(), new io.sibyl.app.cql.MicrosClock());
    }

    @Test
    void defaultsToNinetyNinthPercentileAndDescribeShowsIt() {
        TableMetadata t = create("CREATE TABLE ks.t (k int PRIMARY KEY, v int)");
        assertEquals(SpeculativeRetry.DEFAULT, t.params().speculativeRetry());
        assertTrue(CqlDescriber.table(t).contains("speculative_retry = '99p'"), CqlDescriber.table(t));
    }

    @Test
    void createAndAlterSetIt() {
        TableMetadata t = create("CREATE TABLE ks.t (k int PRIMARY KEY, v int) WITH speculative_retry = '25ms' AND comment = 'x'");
        assertEquals(SpeculativeRetry.fixedMillis(25), t.params().speculativeRetry());
        assertEquals("x", t.params().comment());
        assertEquals(SpeculativeRetry.NONE, alter(t, "ALTER TABLE ks.t WITH speculative_retry = 'NONE'").params().speculativeRetry());
        assertEquals(SpeculativeRetry.ALWAYS, alter(t, "ALTER TABLE ks.t WITH speculative_retry = 'always'").params().speculativeRetry());
        assertEquals(SpeculativeRetry.percentile(95), alter(t, "ALTER TABLE ks.t WITH speculative_retry = '95PERCENTILE'").params().speculativeRetry());
        // Another option altered alone keeps it.
        assertEquals(SpeculativeRetry.fixedMillis(25), alter(t, "ALTER TABLE ks.t WITH gc_grace_seconds = 5").params().speculativeRetry());
    }

    @Test
    void describeOutputRecreatesTheSameOption() {
        TableMetadata t = create("CREATE TABLE ks.t (k int PRIMARY KEY, v int) WITH speculative_retry = '12.5ms'");
        String cql = CqlDescriber.table(t);
        assertTrue(cql.contains("speculative_retry = '12.5ms'"), cql);
        assertEquals(t.params(), create(cql).params());
    }

    @Test
    void invalidValuesAreInvalidRequests() {
        for (String v : new String[]{"'100p'", "'soon'", "'10s'", "99", "'MIN(99p,10ms)'"}) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class,
                    () -> create("CREATE TABLE ks.t (k int PRIMARY KEY) WITH speculative_retry = " + v), v);
            assertTrue(e.getMessage().contains("speculative_retry"), e.getMessage());
            io.sibyl.app.http.ErrorMapper.ApiError api = io.sibyl.app.http.ErrorMapper.toError(e, "query");
            assertEquals("INVALID", api.code());
            assertEquals(400, api.status());
        }
        TableMetadata t = create("CREATE TABLE ks.t (k int PRIMARY KEY, v int)");
        assertThrows(InvalidRequestException.class, () -> alter(t, "ALTER TABLE ks.t WITH speculative_retry = '-1ms'"));
    }
}
