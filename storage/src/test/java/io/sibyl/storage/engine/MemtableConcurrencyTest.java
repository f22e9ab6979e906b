package io.sibyl.storage.engine;

import io.sibyl.storage.memtable.Memtable;
import org.junit.jupiter.api.RepeatedTest;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many threads write the same few partitions (heavy contention on rows, headers and the skip list);
 * the memtable must end up exactly as the model, whatever the interleaving.
 */
class MemtableConcurrencyTest {

    @RepeatedTest(5)
    void concurrentWritersMatchTheModel() throws Exception {
        Random rnd = new Random();
        long seed = rnd.nextLong();
        Random r = new Random(seed);
        EventsWorkload w = new EventsWorkload();
        List<EventsWorkload.OpSpec> specs = new ArrayList<>();
        for (int i = 0; i < 4_000; i++) {
            specs.add(new EventsWorkload.OpSpec(r.nextInt(EventsWorkload.KINDS), r.nextInt(4), r.nextInt(4),
                    r.nextInt(4), 1 + r.nextInt(6), r.nextInt(4) == 0 ? 1 + r.nextInt(40) : 0, r.nextInt(6),
                    r.nextInt(1024)));
        }
        List<EventsWorkload.Write> writes = w.writes(specs);
        ReferenceModel model = new ReferenceModel();
        writes.forEach(x -> x.model().accept(model));

        Memtable memtable = new Memtable(w.table);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            done.add(pool.submit(() -> {
                start.await();
                for (int i = offset; i < writes.size(); i += threads) {
                    memtable.apply(writes.get(i).update());
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));

        assertEquals(writes.stream().filter(x -> !x.update().isEmpty()).count(), memtable.operationCount());
        assertTrue(memtable.liveDataSize() > 0);
        ModelCheck.check(w.table, ModelCheck.Engine.of(List.of(memtable)), model, w.now(), seed, "concurrent writes, seed " + seed);
    }
}
