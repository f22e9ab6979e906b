package io.sibyl.app.cql.transport;

import com.datastax.oss.protocol.internal.Compressor;
import com.datastax.oss.protocol.internal.FrameCodec;
import com.datastax.oss.protocol.internal.SegmentCodec;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.sibyl.app.tls.NodeTls;
import io.sibyl.app.tls.SslContexts;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CQL native protocol (v5 and v4) on a TCP port, on Netty (ADR netty-native-transport; the protocol
 * itself: ADR native-protocol-server). A connection's pipeline is [TLS] → flush consolidation →
 * {@link FrameDecoder} (frames, bare or in v5 segments) → {@link NativeConnection} (decode with the
 * native-protocol library's {@link FrameCodec}, execute on the event loop, answer out of order by stream
 * id, at most {@code max_concurrent_requests_per_connection} in flight). The event loops use epoll where
 * Netty's native transport loads (Linux x86_64 and aarch64), NIO elsewhere.
 */
public final class NativeProtocolServer {
    private static final Logger log = LoggerFactory.getLogger(NativeProtocolServer.class);

    /** Frame header: version, flags, stream (2), opcode, body length (4). */
    private static final int HEADER_BYTES = 9;

    private final Channel serverChannel;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup ioGroup;
    private final ChannelGroup connections;
    private final Runnable stopEvents;
    private volatile Runnable afterClose = () -> { };
    /** The read threads ({@code read_threads}), or null when the event loops execute reads. */
    private volatile ForkJoinPool readPool;
    private final AtomicLong accepted;

    private NativeProtocolServer(Channel serverChannel, EventLoopGroup bossGroup, EventLoopGroup ioGroup,
                                 ChannelGroup connections, Runnable stopEvents, AtomicLong accepted) {
        this.serverChannel = serverChannel;
        this.bossGroup = bossGroup;
        this.ioGroup = ioGroup;
        this.connections = connections;
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
        // Work that may block (bcrypt on AUTH_RESPONSE, schema and role statements) leaves the event loops.
        Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
        ForkJoinPool reads = settings.readThreads() == 0 ? null : readPool(settings.readThreads());
        NativeRequestHandler handler = new NativeRequestHandler(backend, systemTables,
                new PreparedStatements(settings.preparedStatementsCacheSize()), events, parsedCacheSize, blocking,
                reads);
        CompletableFuture<NativeProtocolServer> out = new CompletableFuture<>();
        try {
            NativeProtocolServer server = bind(settings, handler::handle, tls, () -> backend.events(null));
            if (reads != null) {
                server.afterClose = reads::shutdown;
                server.readPool = reads;
            }
            out.complete(server);
        } catch (Exception e) {
            if (reads != null) {
                reads.shutdown();
            }
            out.completeExceptionally(e);
        }
        return out;
    }

    /**
     * Binds {@code settings}' address and serves it with {@code requests}; blocks until bound (or throws: a
     * taken port fails the start).
     */
    static NativeProtocolServer bind(NativeTransportSettings settings, NativeConnection.Requests requests,
                                     NodeTls tls, Runnable stopEvents) throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup boss = group(epoll, 1, "sibyl-cql-accept");
        EventLoopGroup io = group(epoll, settings.ioThreads(), "sibyl-cql-io");
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        Codecs codecs = Codecs.create();
        int maxFrame = (int) Math.min(Integer.MAX_VALUE - HEADER_BYTES, settings.maxFrameBytes()) + HEADER_BYTES;
        AtomicLong accepted = new AtomicLong();
        ChannelGroup connections = new DefaultChannelGroup("sibyl-cql", GlobalEventExecutor.INSTANCE);
        SSLContext sslContext = tls.cql() ? tls.context().orElseThrow() : null;
        boolean clientAuth = tls.requireClientAuth();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, io)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        accepted.incrementAndGet();
                        connections.add(ch);
                        ChannelPipeline p = ch.pipeline();
                        if (sslContext != null) {
                            p.addLast("tls", new SslHandler(SslContexts.serverEngine(sslContext, clientAuth)));
                        }
                        // Answers completed in one event-loop turn (a commit-log batch) leave in one flush.
                        p.addLast("flush", new FlushConsolidationHandler(256, true));
                        NativeConnection connection = new NativeConnection(requests, codecs,
                                settings.maxConcurrentPerConnection());
                        p.addLast("frames", new FrameDecoder(maxFrame, connection::segmentCodec));
                        p.addLast("requests", connection);
                    }
                });
        Channel channel;
        try {
            channel = bootstrap.bind(settings.host(), settings.port()).sync().channel();
        } catch (RuntimeException | InterruptedException e) {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            io.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        log.info("CQL native protocol (v4, v5) listening on {}{} ({} {} event loops)", channel.localAddress(),
                sslContext != null ? " (TLS)" : "", settings.ioThreads(), epoll ? "epoll" : "NIO");
        return new NativeProtocolServer(channel, boss, io, connections, stopEvents, accepted);
    }

    private static EventLoopGroup group(boolean epoll, int threads, String name) {
        DefaultThreadFactory factory = new DefaultThreadFactory(name, true);
        return epoll ? new EpollEventLoopGroup(threads, factory) : new NioEventLoopGroup(threads, factory);
    }

    /**
     * Starts the server of a node when {@code sibyl.cql.port} is not 0, unbinds it when the node shuts down
     * and closes its connections just before the actor system terminates; null when disabled. Waits for the
     * bind so that a taken port fails the start. The server lives with {@code system}, the node's long-lived
     * actor system: a cluster layer restart swaps the services in {@code backend} and leaves the port and the
     * connections as they are.
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
                parsedCacheSize, tls).toCompletableFuture().get(30, TimeUnit.SECONDS);
        CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
        shutdown.addTask(CoordinatedShutdown.PhaseServiceUnbind(), "cql-native-unbind",
                () -> server.unbind().thenApply(x -> Done.getInstance()));
        shutdown.addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "cql-native-close",
                () -> server.close().thenApply(x -> Done.getInstance()));
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

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Connections accepted since the server started. */
    public long connectionsAccepted() {
        return accepted.get();
    }

    /** The handlers of the open connections (tests). */
    List<NativeConnection> openConnections() {
        List<NativeConnection> out = new ArrayList<>();
        for (Channel c : connections) {
            NativeConnection n = c.pipeline().get(NativeConnection.class);
            if (n != null) out.add(n);
        }
        return out;
    }

    /** The bytes written to open connections and not yet taken by the socket (tests). */
    long pendingOutboundBytes() {
        long total = 0;
        for (Channel c : connections) {
            io.netty.channel.ChannelOutboundBuffer b = c.unsafe().outboundBuffer();
            if (b != null) total += b.totalPendingWriteBytes();
        }
        return total;
    }

    /** Stops accepting connections; open ones go on until {@link #close}. */
    public CompletionStage<Void> unbind() {
        stopEvents.run();
        CompletableFuture<Void> done = new CompletableFuture<>();
        serverChannel.close().addListener(f -> done.complete(null));
        return done;
    }

    /** The threads that execute SELECTs, or empty when the event loops do ({@code read_threads = 0}). */
    public java.util.Optional<ForkJoinPool> readPool() {
        return java.util.Optional.ofNullable(readPool);
    }

    /** Unbinds, closes every connection and stops the event loops (and the read threads). */
    public CompletionStage<Void> close() {
        return unbind().thenCompose(x -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            connections.close().addListener(f -> {
                bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
                ioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).addListener(g -> {
                    afterClose.run();
                    done.complete(null);
                });
            });
            return done;
        });
    }

    /**
     * The read threads ({@code read_threads}): a ForkJoinPool in async (FIFO) mode of daemon threads named
     * {@code sibyl-cql-read-N}. A read blocks only on page-cache or disk reads of SSTables, so one per core.
     */
    private static ForkJoinPool readPool(int threads) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return new ForkJoinPool(threads, pool -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setName("sibyl-cql-read-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, (t, e) -> log.error("Uncaught on {}", t.getName(), e), true);
    }
}
