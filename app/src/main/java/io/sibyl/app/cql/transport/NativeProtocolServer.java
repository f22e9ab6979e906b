package io.sibyl.app.cql.transport;

import com.datastax.oss.protocol.internal.Compressor;
import com.datastax.oss.protocol.internal.Frame;
import com.datastax.oss.protocol.internal.FrameCodec;
import com.datastax.oss.protocol.internal.Message;
import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.protocol.internal.ProtocolConstants.ErrorCode;
import com.datastax.oss.protocol.internal.Segment;
import com.datastax.oss.protocol.internal.SegmentCodec;
import com.datastax.oss.protocol.internal.response.Ready;
import com.datastax.oss.protocol.internal.response.Error;
import io.sibyl.app.tls.NodeTls;
import io.sibyl.app.tls.SslContexts;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.SSLContext;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CQL native protocol (v5 and v4) on a TCP port, on Pekko Streams (ADR native-protocol-server):
 * each connection is a flow of frames cut by {@link FrameDecoderStage} (bare, or in v5 segments), decoded by the native-protocol
 * library's {@link FrameCodec}, answered out of order by stream id with at most
 * {@code max_concurrent_requests_per_connection} in flight (the socket is not read further while
 * that many are pending: backpressure, no unbounded queue), and encoded back.
 */
public final class NativeProtocolServer {
    private static final Logger log = LoggerFactory.getLogger(NativeProtocolServer.class);

    /** Frame header: version, flags, stream (2), opcode, body length (4). */
    private static final int HEADER_BYTES = 9;
    private static final int MIN_VERSION = 4;
    private static final int MAX_VERSION = 5;

    /** EVENTs a connection has not taken yet; beyond this new ones are dropped (events are advisory). */
    private static final int EVENT_BUFFER = 64;

    private final Tcp.ServerBinding binding;
    private final Runnable stopEvents;
    private final java.util.concurrent.atomic.AtomicLong accepted;

    private NativeProtocolServer(Tcp.ServerBinding binding, Runnable stopEvents, java.util.concurrent.atomic.AtomicLong accepted) {
        this.binding = binding;
        this.stopEvents = stopEvents;
        this.accepted = accepted;
    }

    /**
     * Binds the port and serves every connection with the services {@code backend} holds now: the
     * executor of {@code POST /v1/cql} of the cluster layer serving at the time of each request.
     *
     * @param httpPort this node's HTTP port, from which peers' native ports are derived (see {@link SystemTables})
     */
    public static CompletionStage<NativeProtocolServer> start(ActorSystem<?> system, NativeTransportSettings settings,
                                                              NativeBackend backend, String clusterName, int httpPort,
                                                              int parsedCacheSize) {
        return start(system, settings, backend, clusterName, httpPort, parsedCacheSize, NodeTls.off());
    }

    /**
     * As above; with {@code tls.cql()} every connection is TLS (bytes that are no TLS handshake close the
     * connection), with the node's key material and, when required, a client certificate.
     */
    public static CompletionStage<NativeProtocolServer> start(ActorSystem<?> system, NativeTransportSettings settings,
                                                              NativeBackend backend, String clusterName, int httpPort,
                                                              int parsedCacheSize, NodeTls tls) {
        SystemTables systemTables = new SystemTables(backend::ring, backend::schema, clusterName, settings.port(),
                httpPort);
        NativeEvents events = new NativeEvents(backend.schema(), backend.ring(), systemTables::nativePortOf);
        backend.events(events);
        NativeRequestHandler handler = new NativeRequestHandler(backend, systemTables,
                new PreparedStatements(settings.preparedStatementsCacheSize()), events, parsedCacheSize);
        Codecs codec = Codecs.create();
        Materializer mat = Materializer.matFromSystem(system);
        java.util.concurrent.atomic.AtomicLong accepted = new java.util.concurrent.atomic.AtomicLong();
        Source<Tcp.IncomingConnection, CompletionStage<Tcp.ServerBinding>> connections;
        if (tls.cql()) {
            SSLContext ctx = tls.context().orElseThrow();
            boolean clientAuth = tls.requireClientAuth();
            connections = Tcp.get(system).bindWithTls(settings.host(), settings.port(),
                    () -> SslContexts.serverEngine(ctx, clientAuth));
        } else {
            connections = Tcp.get(system).bind(settings.host(), settings.port());
        }
        return connections
                .to(Sink.foreach(connection -> {
                    accepted.incrementAndGet();
                    InetSocketAddress remote = connection.remoteAddress();
                    log.debug("native protocol connection from {}", remote);
                    connection.handleWith(connectionFlow(settings, handler, codec, remote, mat), mat);
                }))
                .run(mat)
                .thenApply(b -> {
                    log.info("CQL native protocol (v4, v5) listening on {}{}", b.localAddress(), tls.cql() ? " (TLS)" : "");
                    return new NativeProtocolServer(b, () -> backend.events(null), accepted);
                });
    }

    /**
     * Starts the server of a node when {@code sibyl.cql.port} is not 0 and unbinds it when the node
     * shuts down; null when disabled. Waits for the bind so that a taken port fails the start. The
     * server lives with {@code system}, the node's long-lived actor system: a cluster layer restart swaps
     * the services in {@code backend} and leaves the port and the connections as they are.
     */
    public static NativeProtocolServer startForNode(ActorSystem<?> system, com.typesafe.config.Config config,
                                                    NativeBackend backend, String clusterName, int httpPort,
                                                    int parsedCacheSize, NodeTls tls) throws Exception {
        NativeTransportSettings settings = NativeTransportSettings.from(config);
        if (!settings.enabled()) {
            log.info("CQL native protocol disabled (sibyl.cql.port = 0)");
            return null;
        }
        NativeProtocolServer server = start(system, settings, backend, clusterName, httpPort,
                parsedCacheSize, tls).toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
        org.apache.pekko.actor.CoordinatedShutdown.get(system).addTask(
                org.apache.pekko.actor.CoordinatedShutdown.PhaseServiceUnbind(), "cql-native-unbind",
                () -> server.unbind().thenApply(x -> org.apache.pekko.Done.getInstance()));
        return server;
    }

    /**
     * The codecs of frames without and with lz4 or snappy body compression (v4; STARTUP chooses per
     * connection) and of v5 segments without and with lz4 (v5 compresses segments, never frame bodies,
     * and knows no snappy).
     */
    record Codecs(FrameCodec<Buf> plain, FrameCodec<Buf> lz4, FrameCodec<Buf> snappy, SegmentCodec<Buf> segments,
                  SegmentCodec<Buf> lz4Segments) {
        static Codecs create() {
            return new Codecs(FrameCodec.defaultServer(BufPrimitiveCodec.INSTANCE, Compressor.none()),
                    FrameCodec.defaultServer(BufPrimitiveCodec.INSTANCE, Lz4Compressor.INSTANCE),
                    FrameCodec.defaultServer(BufPrimitiveCodec.INSTANCE, SnappyCompressor.INSTANCE),
                    new SegmentCodec<>(BufPrimitiveCodec.INSTANCE, Compressor.none()),
                    new SegmentCodec<>(BufPrimitiveCodec.INSTANCE, Lz4Compressor.INSTANCE));
        }

        FrameCodec<Buf> frames(NativeRequestHandler.Session session) {
            if (session.version >= 5 || session.compression == null) {
                return plain;
            }
            return switch (session.compression) {
                case "lz4" -> lz4;
                case "snappy" -> snappy;
                default -> plain;
            };
        }

        SegmentCodec<Buf> segments(NativeRequestHandler.Session session) {
            return "lz4".equals(session.compression) ? lz4Segments : segments;
        }
    }

    static Flow<ByteString, ByteString, NotUsed> connectionFlow(NativeTransportSettings settings,
                                                                 NativeRequestHandler handler, Codecs codecs,
                                                                 InetSocketAddress remote, Materializer mat) {
        NativeRequestHandler.Session session = new NativeRequestHandler.Session();
        session.remote = remote == null ? "unknown" : remote.getAddress().getHostAddress();
        int maxFrame = (int) Math.min(Integer.MAX_VALUE - HEADER_BYTES, settings.maxFrameBytes()) + HEADER_BYTES;
        // EVENT frames (stream id -1) join the responses; REGISTER subscribes this connection.
        // BoundedSourceQueue: offers from any thread, the newest dropped when full.
        Pair<BoundedSourceQueue<ByteString>, Source<ByteString, NotUsed>> events =
                Source.<ByteString>queue(EVENT_BUFFER).preMaterialize(mat);
        session.eventSink = e -> events.first().offer(encode(codecs, session, -1, List.of(), e));
        return Flow.of(ByteString.class)
                .via(new FrameDecoderStage(maxFrame, () -> codecs.segments(session)))
                .mapAsyncUnordered(settings.maxConcurrentPerConnection(), bytes -> answer(bytes, handler, codecs, session))
                .merge(events.second(), true)
                .watchTermination((notUsed, done) -> {
                    done.whenComplete((d, t) -> {
                        session.unsubscribe.run();
                        try {
                            events.first().complete();
                        } catch (IllegalStateException alreadyDone) {
                            // the merge cancelled the event source when the connection ended
                        }
                        if (t != null) {
                            log.info("native protocol connection from {} closed: {}", remote, t.getMessage());
                        }
                    });
                    return NotUsed.getInstance();
                });
    }

    private static CompletionStage<ByteString> answer(ByteString bytes, NativeRequestHandler handler,
                                                      Codecs codecs, NativeRequestHandler.Session session) {
        int version = bytes.apply(0) & 0x7F;
        int streamId = (short) (((bytes.apply(2) & 0xFF) << 8) | (bytes.apply(3) & 0xFF));
        if (version < MIN_VERSION || version > MAX_VERSION) {
            // Drivers start with their newest version and step down on this answer (see the ADR).
            return CompletableFuture.completedFuture(encode(codecs, session, streamId, List.of(),
                    new Error(ErrorCode.PROTOCOL_ERROR, "Invalid or unsupported protocol version (" + version
                            + "); supported versions are (4/v4, 5/v5)")));
        }
        boolean startup = bytes.apply(4) == ProtocolConstants.Opcode.STARTUP;
        if (startup || !session.ready) {
            session.version = version; // answers follow the version the connection started with
        }
        Frame frame;
        try {
            // Until STARTUP is answered nothing is compressed; READY itself goes out plain.
            frame = codecs.frames(session).decode(Buf.wrap(bytes.toArray()));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(encode(codecs, session, streamId, List.of(),
                    new Error(ErrorCode.PROTOCOL_ERROR, NativeErrors.fit("malformed frame: " + e))));
        }
        return handler.handle(frame.message, session).thenApply(reply -> {
            ByteString out = encode(codecs, session, streamId, reply.warnings(), reply.message());
            if (startup && version >= 5 && (reply.message() instanceof Ready
                    || reply.message() instanceof com.datastax.oss.protocol.internal.response.Authenticate)) {
                session.segments = true; // v5: everything after READY (or AUTHENTICATE) travels in segments
            }
            return out;
        });
    }

    /** A response frame in the connection's version, compressed as it chose, in segments once v5 framing began. */
    private static ByteString encode(Codecs codecs, NativeRequestHandler.Session session, int streamId,
                                     List<String> warnings, Message message) {
        List<String> fitted = warnings.isEmpty() ? warnings : warnings.stream().map(NativeErrors::fit).toList();
        Frame response = Frame.forResponse(session.version, streamId, null, Frame.NO_PAYLOAD, fitted, message);
        Buf frame = codecs.frames(session).encode(response);
        if (!session.segments) {
            return ByteString.fromArrayUnsafe(frame.array(), 0, frame.writerIndex());
        }
        SegmentCodec<Buf> segmentCodec = codecs.segments(session);
        if (frame.readableBytes() <= Segment.MAX_PAYLOAD_LENGTH) {
            // The usual case: one self-contained segment whose payload is the frame itself, and its header,
            // payload and CRC joined into one array (no copy of the frame first, no ByteString per part).
            List<Object> parts = new ArrayList<>(3);
            segmentCodec.encode(new Segment<>(frame, true), parts);
            return join(parts);
        }
        byte[] bytes = frame.readableArray();
        boolean selfContained = bytes.length <= Segment.MAX_PAYLOAD_LENGTH;
        ByteString out = ByteString.emptyByteString();
        for (int offset = 0; offset < bytes.length; offset += Segment.MAX_PAYLOAD_LENGTH) {
            int n = Math.min(Segment.MAX_PAYLOAD_LENGTH, bytes.length - offset);
            Buf payload = Buf.allocate(n);
            payload.writeBytes(bytes, offset, n);
            List<Object> parts = new ArrayList<>(3);
            segmentCodec.encode(new Segment<>(payload, selfContained), parts);
            for (Object part : parts) {
                Buf b = (Buf) part;
                out = out.concat(ByteString.fromArray(b.array(), b.readerIndex(), b.readableBytes()));
            }
        }
        return out;
    }

    /** The readable bytes of the parts, in order, as one ByteString over a single new array. */
    private static ByteString join(List<Object> parts) {
        int total = 0;
        for (Object part : parts) {
            total += ((Buf) part).readableBytes();
        }
        byte[] out = new byte[total];
        int at = 0;
        for (Object part : parts) {
            Buf b = (Buf) part;
            int n = b.readableBytes();
            System.arraycopy(b.array(), b.readerIndex(), out, at, n);
            at += n;
        }
        return ByteString.fromArrayUnsafe(out);
    }

    public InetSocketAddress localAddress() {
        return binding.localAddress();
    }

    /** Connections accepted since the server started. */
    public long connectionsAccepted() {
        return accepted.get();
    }

    public CompletionStage<Void> unbind() {
        stopEvents.run();
        return binding.unbind().thenApply(x -> null);
    }
}
