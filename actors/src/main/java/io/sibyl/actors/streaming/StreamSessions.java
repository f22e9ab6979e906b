package io.sibyl.actors.streaming;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The stream sessions this node takes part in, incoming (it fetches) and outgoing (it serves), for
 * {@code GET /v1/admin/streams}, and the node's streaming totals for metrics. Finished sessions stay
 * listed (the newest {@value #KEEP_FINISHED}) so an operator can see how a movement ended.
 */
public final class StreamSessions {

    static final int KEEP_FINISHED = 100;

    public enum Direction { INCOMING, OUTGOING }

    public enum State { RUNNING, SUCCEEDED, FAILED }

    /**
     * One session as {@code GET /v1/admin/streams} shows it; {@code bytesTotal} and {@code rangesTotal}
     * are -1 when not known (a source does not know how much it will send).
     */
    public record Info(String sessionId, Direction direction, String peer, String keyspace, State state,
                       long rangesDone, long rangesTotal, long bytesDone, long bytesTotal, long partitions,
                       Instant started, Instant finished, String error) {
    }

    /** A live session's counters; thread-safe. */
    public final class Session {
        final String sessionId;
        final Direction direction;
        final String peer;
        final String keyspace;
        final Instant started = Instant.now();
        final AtomicLong rangesDone = new AtomicLong();
        final AtomicLong rangesTotal = new AtomicLong(-1);
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong partitions = new AtomicLong();
        volatile State state = State.RUNNING;
        volatile Instant finished;
        volatile String error;

        Session(String sessionId, Direction direction, String peer, String keyspace) {
            this.sessionId = sessionId;
            this.direction = direction;
            this.peer = peer;
            this.keyspace = keyspace;
        }

        void rangesTotal(long n) {
            rangesTotal.set(n);
        }

        void rangeDone() {
            rangesDone.incrementAndGet();
        }

        void transferred(long chunkBytes, long parts) {
            bytes.addAndGet(chunkBytes);
            partitions.addAndGet(parts);
            if (direction == Direction.INCOMING) {
                bytesReceived.add(chunkBytes);
                partitionsReceived.add(parts);
            } else {
                bytesSent.add(chunkBytes);
                partitionsSent.add(parts);
            }
        }

        void succeeded() {
            finished = Instant.now();
            state = State.SUCCEEDED;
        }

        void failed(String why) {
            error = why;
            finished = Instant.now();
            state = State.FAILED;
        }

        Info info() {
            return new Info(sessionId, direction, peer, keyspace, state, rangesDone.get(), rangesTotal.get(), bytes.get(),
                    state == State.SUCCEEDED ? bytes.get() : -1, partitions.get(), started, finished, error);
        }
    }

    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder partitionsReceived = new LongAdder();
    private final LongAdder partitionsSent = new LongAdder();

    /**
     * The session (sessionId, direction, peer, keyspace), started (again, on a retry) as RUNNING; one per
     * keyspace, since a change fetches several keyspaces from one source at once.
     */
    Session start(String sessionId, Direction direction, String peer, String keyspace) {
        Session s = new Session(sessionId, direction, peer, keyspace);
        sessions.put(sessionId + "/" + direction + "/" + peer + "/" + keyspace, s);
        trim();
        return s;
    }

    /** The outgoing session a range request belongs to, created by its first request. */
    Session outgoing(String sessionId, String peer, String keyspace) {
        String key = sessionId + "/" + Direction.OUTGOING + "/" + peer;
        Session s = sessions.compute(key, (k, old) -> old == null || old.state != State.RUNNING
                ? new Session(sessionId, Direction.OUTGOING, peer, keyspace) : old);
        trim();
        return s;
    }

    private void trim() {
        List<java.util.Map.Entry<String, Session>> done = new ArrayList<>();
        sessions.entrySet().forEach(e -> {
            if (e.getValue().state != State.RUNNING) {
                done.add(e);
            }
        });
        if (done.size() > KEEP_FINISHED) {
            done.sort(Comparator.comparing(e -> e.getValue().started));
            for (int i = 0; i < done.size() - KEEP_FINISHED; i++) {
                sessions.remove(done.get(i).getKey(), done.get(i).getValue());
            }
        }
    }

    /** Every session, oldest first. */
    public List<Info> list() {
        List<Info> out = new ArrayList<>();
        sessions.values().forEach(s -> out.add(s.info()));
        out.sort(Comparator.comparing(Info::started));
        return out;
    }

    public long bytesReceived() {
        return bytesReceived.sum();
    }

    public long bytesSent() {
        return bytesSent.sum();
    }

    public long partitionsReceived() {
        return partitionsReceived.sum();
    }

    public long partitionsSent() {
        return partitionsSent.sum();
    }

    public long running() {
        return sessions.values().stream().filter(s -> s.state == State.RUNNING).count();
    }
}
