package io.sibyl.app.cql.auth;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A small map whose entries are reused for a validity period, then loaded again: credentials and
 * permissions read from system_auth, so that a request does not read that keyspace each time. A
 * failed load is not kept. Past {@code maxEntries} the whole map is dropped (a crude but bounded
 * eviction: the caches hold one entry per role or credential in use).
 */
final class ExpiringCache<K, V> {
    private record Entry<V>(CompletableFuture<V> value, long expiresAtNanos) {}

    private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final long validityNanos;
    private final int maxEntries;
    private final LongSupplier nanoTime;

    ExpiringCache(java.time.Duration validity, int maxEntries, LongSupplier nanoTime) {
        this.validityNanos = validity.toNanos();
        this.maxEntries = maxEntries;
        this.nanoTime = nanoTime;
    }

    CompletionStage<V> get(K key, Function<K, CompletionStage<V>> loader) {
        if (validityNanos <= 0) return loader.apply(key);
        long now = nanoTime.getAsLong();
        Entry<V> e = entries.get(key);
        if (e != null && now - e.expiresAtNanos < 0 && !e.value.isCompletedExceptionally()) {
            return e.value;
        }
        if (entries.size() >= maxEntries) entries.clear();
        CompletableFuture<V> f = new CompletableFuture<>();
        entries.put(key, new Entry<>(f, now + validityNanos));
        try {
            loader.apply(key).whenComplete((v, err) -> {
                if (err != null) {
                    entries.computeIfPresent(key, (k, cur) -> cur.value == f ? null : cur);
                    f.completeExceptionally(err);
                } else {
                    f.complete(v);
                }
            });
        } catch (RuntimeException ex) {
            entries.remove(key);
            f.completeExceptionally(ex);
        }
        return f;
    }

    void invalidateAll() {
        entries.clear();
    }

    int size() {
        return entries.size();
    }
}
