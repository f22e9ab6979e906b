package io.sibyl.app.cql.views;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import io.sibyl.actors.compaction.Compactor;
import io.sibyl.app.cql.QueryResult.ResultColumn;
import io.sibyl.storage.compaction.CompactionProgress;
import io.sibyl.storage.sstable.KeyCache;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * This node's {@code system_views} tables, with Cassandra 5's names and columns where Sibyl has the figures:
 * {@code thread_pools} (pools and actor kinds, as {@code sibyl tpstats}), {@code sstable_tasks} (running
 * compactions and cleanups), {@code settings} (the effective {@code sibyl.*} configuration, secrets hidden) and
 * {@code caches} (rows {@code keys} and {@code chunks}; Sibyl has no row or counter cache).
 */
public final class NodeViews {
    /** Settings whose value is never shown (as Cassandra hides its passwords). */
    private static final List<String> SECRET_WORDS = List.of("password", "secret", "key_file", "private");

    private NodeViews() {
    }

    /**
     * One row of {@code thread_pools}: a pool, or an actor kind (whose mailbox is its queue; unbounded, so never
     * blocked); null {@code active} or {@code completed} when not known.
     */
    public record PoolRow(String name, Long active, long limit, Long completed, long pending) {
    }

    public static VirtualTables create(Supplier<List<PoolRow>> pools, Supplier<CompletionStage<Compactor.Status>> compactions,
                                      Config config, Supplier<KeyCache.Stats> keyCache, Supplier<KeyCache.Stats> chunkCache) {
        return new VirtualTables()
                .add(threadPools(pools))
                .add(sstableTasks(compactions))
                .add(settings(config))
                .add(caches(keyCache, chunkCache));
    }

    /** Cassandra's {@code caches} columns, without the recent per-second rates (Sibyl keeps no rate history). */
    static VirtualTable caches(Supplier<KeyCache.Stats> keyCache, Supplier<KeyCache.Stats> chunkCache) {
        return new VirtualTable("caches", List.of(col("name", "text"), col("capacity_bytes", "bigint"),
                col("entry_count", "int"), col("hit_count", "bigint"), col("hit_ratio", "double"),
                col("request_count", "bigint"), col("size_bytes", "bigint")), () -> {
            return CompletableFuture.completedFuture(List.of(cacheRow("chunks", chunkCache.get()), cacheRow("keys", keyCache.get())));
        });
    }

    private static Map<String, Object> cacheRow(String name, KeyCache.Stats k) {
        return row("name", name, "capacity_bytes", k.capacity(), "entry_count", (int) Math.min(k.entries(), Integer.MAX_VALUE),
                "hit_count", k.hits(), "hit_ratio", k.requests() == 0 ? null : k.hitRate(), "request_count", k.requests(),
                "size_bytes", k.size());
    }

    static VirtualTable threadPools(Supplier<List<PoolRow>> pools) {
        return new VirtualTable("thread_pools", List.of(col("name", "text"), col("active_tasks", "int"),
                col("active_tasks_limit", "int"), col("blocked_tasks", "bigint"), col("blocked_tasks_all_time", "bigint"),
                col("completed_tasks", "bigint"), col("pending_tasks", "int")), () -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (PoolRow p : pools.get()) {
                rows.add(row("name", p.name(), "active_tasks", p.active(), "active_tasks_limit", p.limit(),
                        "blocked_tasks", 0L, "blocked_tasks_all_time", 0L, "completed_tasks", p.completed(),
                        "pending_tasks", p.pending()));
            }
            rows.sort((a, b) -> ((String) a.get("name")).compareTo((String) b.get("name")));
            return CompletableFuture.completedFuture(rows);
        });
    }

    static VirtualTable sstableTasks(Supplier<CompletionStage<Compactor.Status>> compactions) {
        return new VirtualTable("sstable_tasks", List.of(col("keyspace_name", "text"), col("table_name", "text"),
                col("task_id", "uuid"), col("completion_ratio", "double"), col("kind", "text"), col("progress", "bigint"),
                col("sstables", "int"), col("total", "bigint"), col("unit", "text")),
                () -> compactions.get().thenApply(s -> {
                    List<Map<String, Object>> rows = new ArrayList<>();
                    for (CompactionProgress p : s.running()) {
                        rows.add(row("keyspace_name", p.keyspace(), "table_name", p.table(), "task_id", p.id().toString(),
                                "completion_ratio", p.bytesTotal() <= 0 ? 0.0 : (double) p.bytesDone() / p.bytesTotal(),
                                "kind", p.kind().toLowerCase(Locale.ROOT), "progress", p.bytesDone(), "sstables", p.inputs(),
                                "total", p.bytesTotal(), "unit", "bytes"));
                    }
                    return rows;
                }));
    }

    static VirtualTable settings(Config config) {
        return new VirtualTable("settings", List.of(col("name", "text"), col("value", "text")), () -> {
            Map<String, String> byName = new TreeMap<>();
            if (config.hasPath("sibyl")) {
                for (Map.Entry<String, ConfigValue> e : config.getConfig("sibyl").entrySet()) {
                    String name = e.getKey();
                    byName.put(name, secret(name) ? "<hidden>" : String.valueOf(e.getValue().unwrapped()));
                }
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            byName.forEach((n, v) -> rows.add(row("name", n, "value", v)));
            return CompletableFuture.completedFuture(rows);
        });
    }

    static boolean secret(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return SECRET_WORDS.stream().anyMatch(n::contains);
    }

    private static ResultColumn col(String name, String type) {
        return new ResultColumn(name, type);
    }

    private static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
