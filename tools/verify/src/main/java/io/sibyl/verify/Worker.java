package io.sibyl.verify;

import io.sibyl.verify.client.CqlClient;
import io.sibyl.verify.workload.Workload;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client thread of a workload: invokes an op every {@code intervalNanos} (its share of the rate) on a
 * random node until {@code endNanos} (history clock), recording invocation and completion. After an op of
 * unknown outcome it continues as a new process ({@code process + stride}), since the old op may still be
 * in flight in the cluster.
 */
final class Worker implements Runnable {
    private static final Logger LOG = Logger.getLogger(Worker.class.getName());
    private final Workload workload;
    private final History history;
    private final CqlClient client;
    private final Supplier<List<String>> nodes;
    private final Random rnd;
    private final int stride;
    private final long intervalNanos;
    private final long endNanos;
    private int process;

    Worker(Workload workload, History history, CqlClient client, Supplier<List<String>> nodes, long seed, int process, int stride,
           long intervalNanos, long endNanos) {
        this.workload = workload;
        this.history = history;
        this.client = client;
        this.nodes = nodes;
        this.rnd = new Random(seed);
        this.process = process;
        this.stride = stride;
        this.intervalNanos = intervalNanos;
        this.endNanos = endNanos;
    }

    @Override
    public void run() {
        long next = history.now() + (long) (rnd.nextDouble() * intervalNanos);
        while (!Thread.currentThread().isInterrupted()) {
            long now = history.now();
            if (next > now) {
                LockSupport.parkNanos(next - now);
            }
            now = history.now();
            if (now >= endNanos) {
                return;
            }
            next = Math.max(next + intervalNanos, now);
            List<String> live = nodes.get();   // changes with bootstrap and decommission
            String node = live.get(rnd.nextInt(live.size()));
            Op invoke = history.append(workload.nextInvoke(process, rnd).at(history.now()));
            Op done;
            try {
                done = workload.execute(client, node, invoke);
            } catch (RuntimeException e) {
                // An answer the workload could not read: the op's outcome is unknown, the run goes on.
                LOG.log(Level.WARNING, "op " + invoke + " on " + node + " failed in the client", e);
                done = invoke.complete(Op.Type.INFO, null, 0, "client error: " + e);
            }
            history.append(done.at(history.now()));
            if (done.isInfo()) {
                process += stride;
            }
        }
    }
}
