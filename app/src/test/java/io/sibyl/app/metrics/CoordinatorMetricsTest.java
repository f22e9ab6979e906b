package io.sibyl.app.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sibyl.storage.schema.ColumnMetadata;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.schema.TableParams;
import io.sibyl.storage.types.CqlTypes;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class CoordinatorMetricsTest {

    private static TableMetadata table(String name) {
        return new TableMetadata("ks", name, UUID.nameUUIDFromBytes(name.getBytes()),
                List.of(ColumnMetadata.partitionKey("k", CqlTypes.parse("int"), 0)), TableParams.DEFAULT);
    }

    @Test
    void speculativeRetriesAreCountedPerTable() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Consumer<TableMetadata> retried = CoordinatorMetrics.speculativeRetryCounter(registry);
        retried.accept(table("a"));
        retried.accept(table("a"));
        retried.accept(table("b"));
        assertEquals(2.0, registry.get("sibyl.speculative.retries").tags("keyspace", "ks", "table", "a").counter().count());
        assertEquals(1.0, registry.get("sibyl.speculative.retries").tags("keyspace", "ks", "table", "b").counter().count());
        String text = registry.scrape();
        assertTrue(text.contains("sibyl_speculative_retries_total{keyspace=\"ks\",table=\"a\"} 2.0"), text);
    }
}
