package io.sibyl.actors.streaming;

import io.sibyl.actors.paxos.PaxosTable;
import io.sibyl.actors.replica.LocalReplica;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.ring.TokenRange;
import io.sibyl.storage.commitlog.CommitLogSync;
import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.engine.StorageEngine;
import io.sibyl.storage.engine.TableStore;
import io.sibyl.storage.schema.TableMetadata;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.StreamRefSubscriptionTimeoutException;
import org.apache.pekko.stream.javadsl.Sink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The receiving side of range streaming ({@link RangeStreamer}): for each table of the keyspace (by name),
 * then {@code system.paxos} (the Paxos state of the same ranges, every table's rows of those partitions),
 * and each range not finished by an earlier attempt of the session, asks the source's
 * {@link StreamServer} for the range and applies what arrives with {@link LocalReplica#applyAll} — the
 * path repair mutations take: through the commit log, timestamps, TTLs and tombstones as sent, so a
 * newer local write always wins and nothing deleted comes back. A table's ranges are fetched in parallel,
 * at most {@code sibyl.streaming.parallelism} at a time per source node over all sessions ({@link SourceSlots});
 * the source's {@link OutboundThrottle} keeps their sum within {@code stream_throughput_outbound}. Each range
 * is recorded done on its own, so a retried session resumes per range.
 *
 * <p>A range is recorded as finished ({@link StreamProgressFile}) once its data is durable: at once when
 * {@code commitlog_sync} acknowledges after fsync (group, batch), after the table's flush when it is
 * periodic. Every table touched is flushed before the stage completes.
 */
public final class RangeFetcher implements RangeStreamer {

    private static final Logger log = LoggerFactory.getLogger(RangeFetcher.class);

    private final ActorSystem<?> system;
    private final LocalReplica local;
    private final NodeId self;
    private final Predicate<NodeId> isAlive;
    private final Function<NodeInfo, ActorRef<StreamServer.Command>> servers;
    private final Path progressDir;
    private final StreamSettings settings;
    private final StreamSessions sessions;
    private final Materializer mat;
    private final SourceSlots slots;

    /**
     * @param servers     the stream server of a node (see {@link #serverByPath})
     * @param progressDir where session progress files go ({@code <data_dir>/system/streams}); null: memory only
     */
    public RangeFetcher(ActorSystem<?> system, LocalReplica local, NodeId self, Predicate<NodeId> isAlive,
                        Function<NodeInfo, ActorRef<StreamServer.Command>> servers, Path progressDir,
                        StreamSettings settings, StreamSessions sessions) {
        this.system = system;
        this.local = local;
        this.self = self;
        this.isAlive = isAlive;
        this.servers = servers;
        this.progressDir = progressDir;
        this.settings = settings;
        this.sessions = sessions;
        this.mat = Materializer.matFromSystem(system);
        this.slots = new SourceSlots(settings.parallelism());
    }

    /** Resolves a node's stream server by its well-known path (no lookup round trip). */
    public static Function<NodeInfo, ActorRef<StreamServer.Command>> serverByPath(ActorSystem<?> system) {
        ActorRefResolver resolver = ActorRefResolver.get(system);
        return n -> resolver.resolveActorRef("pekko://" + system.name() + "@" + n.host() + ":" + n.clusterPort()
                + StreamServer.PATH);
    }

    public StreamSessions sessions() {
        return sessions;
    }

    @Override
    public CompletionStage<StreamSummary> fetchRanges(String sessionId, NodeInfo source, String keyspace,
                                                      List<TokenRange> ranges) {
        StreamProgressFile progress;
        try {
            if (source.id().equals(self)) {
                throw new IllegalArgumentException("a node cannot stream from itself (session " + sessionId + ")");
            }
            progress = StreamProgressFile.open(progressDir, sessionId, keyspace, source.id().toString());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        StreamSessions.Session session = sessions.start(sessionId, StreamSessions.Direction.INCOMING,
                source.id().toString(), keyspace);
        List<TableStore> tables = new ArrayList<>();
        for (TableStore t : local.engine().tables()) {
            if (t.metadata().keyspace().equals(keyspace)) {
                tables.add(t);
            }
        }
        tables.sort(Comparator.comparing(t -> t.metadata().name()));
        // The Paxos state of the ranges moves with them (Cassandra 5.1 repairs it on a topology change): a
        // proposal a replica accepted but did not commit must be seen by the new owner's first prepare once
        // reads move to it, or a CAS that a quorum accepted could be lost. system.paxos is keyed by the user
        // table's partition key, so the same token ranges select it. After the keyspace's own tables.
        TableStore paxos = local.engine().tableOrNull(PaxosTable.ID);
        if (paxos != null && !tables.isEmpty()) {
            tables.add(paxos);
        }
        session.rangesTotal((long) tables.size() * ranges.size());
        if (!isAlive.test(source.id())) {
            String why = "stream source " + source.id() + " is down; session " + sessionId + " cannot start";
            session.failed(why);
            return CompletableFuture.failedFuture(new StreamException(why));
        }
        log.info("Stream session {}: fetching {} ranges of {} tables of {} from {}", sessionId, ranges.size(),
                tables.size(), keyspace, source.id());
        boolean durableOnAck = durableOnAck(local.engine());
        AtomicLong partitions = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
        // Set by the first failed range: ranges not yet started then fail at once instead of streaming.
        java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
        long rangesTotal = (long) tables.size() * ranges.size();
        for (TableStore table : tables) {
            TableMetadata md = table.metadata();
            List<TokenRange> fetched = java.util.Collections.synchronizedList(new ArrayList<>());
            chain = chain.thenCompose(v -> {
                List<CompletableFuture<Void>> parts = new ArrayList<>();
                for (TokenRange range : ranges) {
                    if (progress.isDone(md.id(), range)) {
                        session.rangeDone();
                        continue;
                    }
                    parts.add(slots.run(source.id(), () -> failed.get() != null
                            ? CompletableFuture.<StreamSummary>failedFuture(failed.get())
                            : fetchRange(sessionId, source, keyspace, md, range, rangesTotal, session))
                            .whenComplete((r, e) -> {
                                if (e != null) {
                                    failed.compareAndSet(null, unwrap(e));
                                }
                            })
                            .thenAccept(r -> {
                                partitions.addAndGet(r.partitions());
                                bytes.addAndGet(r.bytes());
                                if (durableOnAck) {
                                    progress.markDone(md.id(), range);
                                } else {
                                    fetched.add(range);
                                }
                                session.rangeDone();
                            }).toCompletableFuture());
                }
                return allOrFirstFailure(parts);
            });
            chain = chain.thenCompose(v -> local.engine().flush(md.id())).thenRun(() -> {
                fetched.forEach(r -> progress.markDone(md.id(), r));
            });
        }
        return chain.handle((v, e) -> {
            if (e != null) {
                Throwable cause = unwrap(e);
                String why = cause instanceof StreamException ? cause.getMessage() : String.valueOf(cause);
                session.failed(why);
                log.warn("Stream session {} from {} failed: {}", sessionId, source.id(), why);
                throw cause instanceof StreamException se ? se : new StreamException("stream session " + sessionId
                        + " from " + source.id() + " failed: " + why, cause);
            }
            session.succeeded();
            log.info("Stream session {} from {} done: {} partitions, {} bytes", sessionId, source.id(),
                    partitions.get(), bytes.get());
            return new StreamSummary(partitions.get(), bytes.get());
        });
    }

    private static boolean durableOnAck(StorageEngine engine) {
        return engine.commitLog() != null && engine.commitLog().config().sync() != CommitLogSync.PERIODIC;
    }

    /** Streams one table's range and applies it; completes when every mutation of it is applied. */
    private CompletionStage<StreamSummary> fetchRange(String sessionId, NodeInfo source, String keyspace,
                                                      TableMetadata table, TokenRange range, long rangesTotal,
                                                      StreamSessions.Session session) {
        String context = "session " + sessionId + " " + table.keyspace() + "." + table.name() + " range " + range
                + " from " + source.id();
        if (!isAlive.test(source.id())) {
            return CompletableFuture.failedFuture(new StreamException("stream source " + source.id()
                    + " is down (" + context + ")"));
        }
        ActorRef<StreamServer.Command> server = servers.apply(source);
        CompletionStage<StreamServer.StreamReply> offer = AskPattern.ask(server,
                replyTo -> new StreamServer.StreamRange(sessionId, self.toString(), keyspace, table.id(), range.left(),
                        range.right(), rangesTotal, replyTo), settings.requestTimeout(), system.scheduler());
        IncomingRange incoming = new IncomingRange(context, id -> {
            TableStore t = local.engine().tableOrNull(id);
            return t == null ? null : t.metadata();
        });
        return offer.handle((reply, e) -> {
            if (e != null) {
                Throwable c = unwrap(e);
                throw new StreamException(c instanceof TimeoutException
                        ? "stream source " + source.id() + " did not answer within " + settings.requestTimeout()
                        + " (down or unreachable?): " + context
                        : "cannot ask stream source " + source.id() + ": " + c + " (" + context + ")", c);
            }
            if (reply instanceof StreamServer.StreamRefused r) {
                throw new StreamException("stream source " + source.id() + " refused " + context + ": " + r.reason());
            }
            return ((StreamServer.StreamOffer) reply).source();
        }).thenCompose(ref -> ref.getSource()
                .idleTimeout(settings.idleTimeout())
                // Decoding runs in order (the function is called chunk by chunk); up to 4 applies overlap and share
                // commit-log fsyncs. Order between them does not matter: reconciliation is by timestamp.
                .mapAsync(4, chunk -> {
                    List<Mutation> ms = incoming.accept(chunk);
                    session.transferred(chunk.size(), 0);
                    return ms.isEmpty() ? CompletableFuture.completedFuture(0)
                            : local.applyAll(ms).thenApply(x -> ms.size());
                })
                .runWith(Sink.ignore(), mat)
                .handle((done, e) -> {
                    if (e != null) {
                        Throwable c = unwrap(e);
                        if (c instanceof StreamException se) {
                            throw se;
                        }
                        if (c instanceof TimeoutException || c instanceof StreamRefSubscriptionTimeoutException) {
                            throw new StreamException("stream source " + source.id() + " sent nothing for "
                                    + settings.idleTimeout() + " (stuck or gone): " + context, c);
                        }
                        throw new StreamException("stream from " + source.id() + " failed (" + context + "): " + c, c);
                    }
                    incoming.checkComplete();
                    session.transferred(0, incoming.partitionsSent());
                    return new StreamSummary(incoming.partitionsSent(), incoming.bytes());
                }));
    }

    /**
     * Completes when every part has, or at once with the first part's failure: a session whose source died must
     * not wait for its other in-flight ranges to reach their idle timeout (they fail or finish on their own; what
     * they apply is reconciled by timestamp like any write).
     */
    static CompletableFuture<Void> allOrFirstFailure(List<CompletableFuture<Void>> parts) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        CompletableFuture.allOf(parts.toArray(new CompletableFuture[0])).whenComplete((v, e) -> {
            if (e == null) {
                result.complete(null);
            } else {
                result.completeExceptionally(e);
            }
        });
        for (CompletableFuture<Void> p : parts) {
            p.whenComplete((v, e) -> {
                if (e != null) {
                    result.completeExceptionally(e);
                }
            });
        }
        return result;
    }

    private static Throwable unwrap(Throwable e) {
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
