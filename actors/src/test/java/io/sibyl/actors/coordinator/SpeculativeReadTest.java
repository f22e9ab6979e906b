package io.sibyl.actors.coordinator;

import io.sibyl.actors.consistency.ConsistencyLevel;
import io.sibyl.actors.consistency.ReadTimeoutException;
import io.sibyl.actors.coordinator.TestCluster.Node;
import io.sibyl.actors.hints.HintSink;
import io.sibyl.storage.schema.SpeculativeRetry;
import io.sibyl.storage.schema.TableMetadata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static io.sibyl.actors.coordinator.TestCluster.await;
import static io.sibyl.actors.coordinator.TestCluster.put;
import static io.sibyl.actors.coordinator.TestCluster.readCommand;
import static io.sibyl.actors.coordinator.TestCluster.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Rapid read protection against a replica that never answers (the test cluster's mute node, alive in
 * the ring view): n0 coordinates but is no replica; every key's replicas are n1, n2 and the mute one.
 */
class SpeculativeReadTest {

    private static final AtomicLong KEYS = new AtomicLong(8_000_000); // apart from the other classes on the shared TestCluster
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    static TestCluster cluster;
    static Node n0;
    static Node n1;
    static Node n2;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.shared();
        n0 = cluster.nodes.get(0);
        n1 = cluster.nodes.get(1);
        n2 = cluster.nodes.get(2);
    }

    /** The RF 3 table with another speculative_retry: the coordinator reads the option from the command's table. */
    private static TableMetadata rf3(SpeculativeRetry retry) {
        return TestCluster.RF3.withParams(TestCluster.RF3.params().withSpeculativeRetry(retry));
    }

    private static DistributedCoordinator coordinator() {
        return TestCluster.coordinator(n0, TestCluster.view(n0, List.of(n1, n2, cluster.mute), Set.of()), HintSink.NONE,
                CoordinatorSettings.defaults().withReadRequestTimeout(TIMEOUT));
    }

    /** A key written to the two replicas that answer. */
    private static long storedKey(long v) throws Throwable {
        long k = KEYS.getAndIncrement();
        await(n1.replica().apply(put(TestCluster.RF3, k, v, 10)));
        await(n2.replica().apply(put(TestCluster.RF3, k, v, 10)));
        return k;
    }

    private record Timed(Long value, long millis, boolean speculated) {
    }

    private static Timed read(DistributedCoordinator c, TableMetadata t, long k, ConsistencyLevel cl) throws Throwable {
        long before = c.speculativeRetries(t.id());
        long t0 = System.nanoTime();
        Long v = value(await(c.read(readCommand(t, k), cl)));
        return new Timed(v, (System.nanoTime() - t0) / 1_000_000, c.speculativeRetries(t.id()) > before);
    }

    @Test
    void aReadOfTheSilentReplicaCompletesAfterTheSpeculativeDelayNotTheTimeout() throws Throwable {
        TableMetadata t = rf3(SpeculativeRetry.fixedMillis(100));
        DistributedCoordinator c = coordinator();
        int speculated = 0;
        for (int i = 0; i < 40; i++) {
            long k = storedKey(i);
            Timed r = read(c, t, k, ConsistencyLevel.ONE);
            assertEquals((long) i, r.value());
            assertTrue(r.millis() < TIMEOUT.toMillis() / 2, "read " + i + " took " + r.millis() + " ms");
            if (r.speculated()) {
                speculated++;
                assertTrue(r.millis() >= 95, "a speculated read waited the delay first, took " + r.millis() + " ms");
            }
        }
        // ONE asks one of three replicas at random: about a third of the reads met the silent one
        // (fewer once its timeouts mark it slow and it goes last).
        assertTrue(speculated >= 1, "some reads were sent to the silent replica and speculated");
    }

    @Test
    void quorumDigestReadsSpeculateToo() throws Throwable {
        TableMetadata t = rf3(SpeculativeRetry.fixedMillis(100));
        DistributedCoordinator c = coordinator();
        int speculated = 0;
        for (int i = 0; i < 20; i++) {
            long k = storedKey(100 + i);
            Timed r = read(c, t, k, ConsistencyLevel.QUORUM);
            assertEquals(100L + i, r.value());
            assertTrue(r.millis() < TIMEOUT.toMillis() / 2, "read " + i + " took " + r.millis() + " ms");
            speculated += r.speculated() ? 1 : 0;
        }
        assertTrue(speculated >= 1, "QUORUM asks two of three: some reads asked the silent one");
    }

    @Test
    void alwaysAsksTheExtraReplicaAtOnce() throws Throwable {
        TableMetadata t = rf3(SpeculativeRetry.ALWAYS);
        DistributedCoordinator c = coordinator();
        for (int i = 0; i < 10; i++) {
            Timed r = read(c, t, storedKey(200 + i), ConsistencyLevel.ONE);
            assertEquals(200L + i, r.value());
            assertTrue(r.speculated(), "ALWAYS speculates every remote read");
            assertTrue(r.millis() < TIMEOUT.toMillis() / 2, "took " + r.millis() + " ms");
        }
        assertEquals(10, c.speculativeRetries(t.id()));
    }

    @Test
    void withNoneAReadOfTheSilentReplicaTimesOut() throws Throwable {
        TableMetadata t = rf3(SpeculativeRetry.NONE);
        DistributedCoordinator c = TestCluster.coordinator(n0, TestCluster.view(n0, List.of(n1, n2, cluster.mute), Set.of()),
                HintSink.NONE, CoordinatorSettings.defaults().withReadRequestTimeout(Duration.ofMillis(800)));
        for (int i = 0; i < 30; i++) {
            long k = storedKey(300 + i);
            long t0 = System.nanoTime();
            try {
                await(c.read(readCommand(t, k), ConsistencyLevel.ONE));
            } catch (ReadTimeoutException e) {
                assertTrue((System.nanoTime() - t0) / 1_000_000 >= 750, "waited for the read timeout");
                assertEquals(0, e.received());
                assertEquals(0, c.speculativeRetries(t.id()));
                return;
            }
        }
        fail("in 30 reads at ONE none was sent to the silent replica");
    }

    @Test
    void theCoordinatorThatIsAReplicaReadsLocallyAtOne() throws Throwable {
        // n0 in the ring with the mute node and n1: at ONE it answers from its own data, never waiting.
        DistributedCoordinator c = TestCluster.coordinator(n0, TestCluster.view(n0, List.of(n0, n1, cluster.mute), Set.of()),
                HintSink.NONE, CoordinatorSettings.defaults().withReadRequestTimeout(TIMEOUT));
        TableMetadata t = rf3(SpeculativeRetry.NONE);
        for (int i = 0; i < 20; i++) {
            long k = KEYS.getAndIncrement();
            await(n0.replica().apply(put(TestCluster.RF3, k, 400 + i, 10)));
            Timed r = read(c, t, k, ConsistencyLevel.ONE);
            assertEquals(400L + i, r.value(), "the local replica answered");
            assertTrue(r.millis() < TIMEOUT.toMillis() / 2);
        }
        assertInstanceOf(DistributedCoordinator.class, c);
    }
}
