package io.sibyl.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Durability in the default group-commit mode: writers run concurrently, the node is killed with
 * SIGKILL at a random moment, and after a restart every write that was acknowledged is read back.
 */
class AcknowledgedWritesSurviveKill9IT {

    @Test
    void everyAcknowledgedWriteIsReadBackAfterKill9() throws Exception {
        Path work = NodeProcess.workDir("kill9");
        int port = NodeProcess.freePort();
        try (NodeProcess node = new NodeProcess("n1", work.resolve("n1"), port, List.of())) {
            node.start().awaitReady(Duration.ofSeconds(60));
            SibylClient c = SibylClient.of(node.baseUrl());
            assertEquals(200, c.cql("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}").status());
            assertEquals(200, c.cql("CREATE TABLE ks.t (k text PRIMARY KEY, v int)").status());

            Set<String> acked = ConcurrentHashMap.newKeySet();
            AtomicInteger next = new AtomicInteger();
            for (int round = 0; round < 3; round++) {
                AtomicBoolean stop = new AtomicBoolean();
                Thread[] writers = new Thread[8];
                for (int w = 0; w < writers.length; w++) {
                    writers[w] = new Thread(() -> {
                        while (!stop.get()) {
                            int i = next.incrementAndGet();
                            try {
                                var a = c.cql("INSERT INTO ks.t (k, v) VALUES (?, ?)", "key" + i, i);
                                if (a.status() == 200) acked.add("key" + i);
                            } catch (Exception crashed) {
                                return; // the node died under us: this write was never acknowledged
                            }
                        }
                    });
                    writers[w].start();
                }
                Thread.sleep(1000 + ThreadLocalRandom.current().nextInt(1500));
                node.kill9();
                stop.set(true);
                for (Thread t : writers) t.join(30_000);
                node.start().awaitReady(Duration.ofSeconds(60));
            }
            assertTrue(acked.size() > 50, "too few writes acknowledged to mean anything: " + acked.size());
            for (String k : acked) {
                var a = c.cql("SELECT v FROM ks.t WHERE k = ?", k);
                assertEquals(200, a.status(), a.body().toString());
                assertEquals(1, a.rows().size(), "acknowledged write " + k + " lost after kill -9\n" + node.logTail());
                assertEquals(Integer.parseInt(k.substring(3)), a.rows().get(0).path("v").asInt());
            }
        }
    }
}
