package io.sibyl.actors.streaming;

import io.sibyl.actors.cluster.CborSerializable;
import io.sibyl.actors.ring.TokenRange;
import io.sibyl.storage.engine.StorageEngine;
import io.sibyl.storage.engine.TableStore;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.SourceRef;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.StreamRefs;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/**
 * The source side of range streaming, on every node at {@value #PATH}: a receiving node asks for one
 * table's token range and gets a {@link SourceRef} of CRC'd chunks ({@link OutgoingRange}), read lazily
 * from this node's storage on the blocking-IO dispatcher and throttled to {@code stream_throughput_outbound}
 * shared by every outgoing stream of the node. The receiver pulls (backpressure across the network), so
 * a slow receiver slows the reads down instead of filling memory.
 */
public final class StreamServer {

    private static final Logger log = LoggerFactory.getLogger(StreamServer.class);

    static final String NAME = "sibyl-stream-server";
    public static final String PATH = "/system/" + NAME;

    public sealed interface Command permits StreamRange {
    }

    /**
     * Send table {@code tableId}'s partitions in {@code (left, right]} to {@code requester}.
     *
     * @param rangesTotal how many ranges the requester's session has in all (for the source's progress view)
     */
    public record StreamRange(String sessionId, String requester, String keyspace, UUID tableId, long left,
                              long right, long rangesTotal, ActorRef<StreamReply> replyTo)
            implements Command, CborSerializable {
    }

    public sealed interface StreamReply extends CborSerializable permits StreamOffer, StreamRefused {
    }

    /** The stream: subscribe within the StreamRefs subscription timeout. */
    public record StreamOffer(SourceRef<ByteString> source) implements StreamReply {
    }

    public record StreamRefused(String reason) implements StreamReply {
    }

    private StreamServer() {
    }

    public static ActorRef<Command> spawn(ActorSystem<?> system, StorageEngine engine, StreamSettings settings,
                                          StreamSessions sessions) {
        return system.systemActorOf(create(engine, settings, sessions), NAME,
                io.sibyl.actors.mailbox.MeasuredMailbox.props("StreamServer"));
    }

    public static Behavior<Command> create(StorageEngine engine, StreamSettings settings, StreamSessions sessions) {
        return Behaviors.setup(ctx -> {
            Materializer mat = Materializer.createMaterializer(ctx);
            // one budget for every outgoing stream of this node, however many run in parallel
            OutboundThrottle throttle = new OutboundThrottle(settings.throughputOutboundBytesPerSec());
            return Behaviors.receive(Command.class)
                    .onMessage(StreamRange.class, m -> {
                        serve(m, engine, settings, sessions, mat, throttle);
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    private static void serve(StreamRange m, StorageEngine engine, StreamSettings settings, StreamSessions sessions,
                              Materializer mat, OutboundThrottle throttle) {
        TableStore table = engine.tableOrNull(m.tableId());
        if (table == null) {
            m.replyTo().tell(new StreamRefused("table " + m.tableId() + " does not exist on the source node"));
            return;
        }
        TokenRange range = new TokenRange(m.left(), m.right());
        StreamSessions.Session session = sessions.outgoing(m.sessionId(), m.requester(), m.keyspace());
        session.rangesTotal(m.rangesTotal());
        String what = table.metadata() + " range " + range + " to " + m.requester() + " (session " + m.sessionId() + ")";
        java.util.concurrent.atomic.AtomicReference<OutgoingRange> reader = new java.util.concurrent.atomic.AtomicReference<>();
        Source<ByteString, NotUsed> chunks = Source.unfoldResource(
                () -> {
                    reader.set(new OutgoingRange(table, range, settings.chunkBytes(), settings.pieceBytes()));
                    return reader.get();
                },
                OutgoingRange::nextChunk,
                OutgoingRange::close);
        if (!throttle.unthrottled()) {
            // Shared by every stream of this node: parallel ranges together stay within stream_throughput_outbound.
            chunks = chunks.mapAsync(1, c -> throttle.acquire(c.size()).thenApply(v -> c));
        }
        chunks = chunks.map(c -> {
            session.transferred(c.size(), 0);
            return c;
        }).watchTermination((nu, done) -> {
            done.whenComplete((d, e) -> {
                if (e == null) {
                    session.transferred(0, reader.get() == null ? 0 : reader.get().partitions());
                    session.rangeDone();
                    log.debug("Streamed {}", what);
                } else {
                    log.warn("Streaming {} failed: {}", what, e.toString());
                    session.failed(e.toString());
                }
            });
            return nu;
        });
        try {
            m.replyTo().tell(new StreamOffer(chunks.runWith(StreamRefs.sourceRef(), mat)));
        } catch (RuntimeException e) {
            log.warn("Cannot stream {}", what, e);
            session.failed(e.toString());
            m.replyTo().tell(new StreamRefused("cannot stream " + what + ": " + e));
        }
    }
}
