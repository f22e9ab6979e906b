package io.sibyl.app.cql.transport;

import com.datastax.oss.protocol.internal.Frame;
import com.datastax.oss.protocol.internal.Message;
import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.protocol.internal.ProtocolConstants.ErrorCode;
import com.datastax.oss.protocol.internal.Segment;
import com.datastax.oss.protocol.internal.SegmentCodec;
import com.datastax.oss.protocol.internal.response.Authenticate;
import com.datastax.oss.protocol.internal.response.Error;
import com.datastax.oss.protocol.internal.response.Event;
import com.datastax.oss.protocol.internal.response.Ready;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One native protocol connection, on its Netty event loop (ADR netty-native-transport). Each frame the
 * {@link FrameDecoder} cuts is decoded and executed right here, on the event loop, up to its first
 * asynchronous step; its answer is written when it completes, by the event loop (a completion on another
 * thread is handed to it), out of order by stream id. Flushes are consolidated by the pipeline's
 * FlushConsolidationHandler: the answers a commit-log batch completes leave in one write.
 *
 * <p>Backpressure: at most {@code maxInFlight} requests execute at once. At the bound, or while the socket's
 * outbound buffer is over its high-water mark (a client that does not read its answers), the channel stops
 * reading ({@code autoRead(false)}) and TCP pushes back on the client. Frames already cut from the last read
 * wait in {@link #waiting}, which holds at most one read's worth: no queue grows without bound.
 *
 * <p>Not thread-safe: every method but {@link #offerEvent} runs on the channel's event loop.
 */
final class NativeConnection extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(NativeConnection.class);

    private static final int MIN_VERSION = 4;
    private static final int MAX_VERSION = 5;
    /** EVENT frames handed to the event loop and not yet written; beyond this new ones are dropped. */
    static final int EVENT_BUFFER = 64;

    /** What executes a request: {@link NativeRequestHandler#handle} on a node. */
    interface Requests {
        CompletionStage<NativeRequestHandler.Reply> handle(Message request, NativeRequestHandler.Session session);
    }

    /** An answer to send: the frame's stream id, warnings and message. */
    private record Answer(int streamId, List<String> warnings, Message message, boolean startup) {}

    private final Requests requests;
    private final NativeProtocolServer.Codecs codecs;
    private final int maxInFlight;
    private final NativeRequestHandler.Session session = new NativeRequestHandler.Session();
    private final ArrayDeque<Buf> waiting = new ArrayDeque<>();
    private final AtomicInteger eventsQueued = new AtomicInteger();
    private ChannelHandlerContext ctx;
    private int inFlight;
    private int maxSeenInFlight;
    private boolean draining;
    private final java.util.concurrent.atomic.AtomicLong eventsDropped = new java.util.concurrent.atomic.AtomicLong();

    NativeConnection(Requests requests, NativeProtocolServer.Codecs codecs, int maxInFlight) {
        this.requests = requests;
        this.codecs = codecs;
        this.maxInFlight = maxInFlight;
    }

    /** The codec of this connection's segments, for its {@link FrameDecoder}. */
    SegmentCodec<Buf> segmentCodec() {
        return codecs.segments(session);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        SocketAddress remote = ctx.channel().remoteAddress();
        session.remote = remote instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : "unknown";
        session.eventSink = this::offerEvent;
        log.debug("native protocol connection from {}", remote);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        session.unsubscribe.run();
        waiting.clear();
        if (eventsDropped.get() > 0) {
            log.debug("native protocol connection from {} closed; {} events dropped for it", session.remote,
                    eventsDropped.get());
        }
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Buf frame = (Buf) msg;
        if (draining || !waiting.isEmpty() || !canDispatch()) {
            waiting.add(frame);
            updateAutoRead();
        } else {
            dispatch(frame);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        drainWaiting();
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A client's bad bytes (a frame over the limit, a CRC mismatch, no TLS) or a reset: close this
        // connection only, as the protocol wants; others are untouched.
        Throwable c = cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() != null
                ? cause.getCause() : cause;
        log.info("native protocol connection from {} closed: {}", ctx.channel().remoteAddress(), c.toString());
        ctx.close();
    }

    private boolean canDispatch() {
        return inFlight < maxInFlight && ctx.channel().isWritable();
    }

    /** Starts the request on this thread; its answer is sent now if it is done, else when it completes. */
    private void dispatch(Buf frame) {
        inFlight++;
        maxSeenInFlight = Math.max(maxSeenInFlight, inFlight);
        CompletableFuture<Answer> answer;
        try {
            answer = answer(frame).toCompletableFuture();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        if (answer.isDone()) {
            complete(answer);
            return;
        }
        EventLoop loop = ctx.channel().eventLoop();
        CompletableFuture<Answer> pending = answer;
        answer.whenComplete((a, t) -> {
            if (loop.inEventLoop()) {
                complete(pending);
            } else {
                loop.execute(() -> complete(pending));
            }
        });
    }

    /** On the event loop: writes a done answer, and lets the next request in. */
    private void complete(CompletableFuture<Answer> done) {
        inFlight--;
        Answer a;
        try {
            a = done.join();
        } catch (RuntimeException e) {
            // handle() answers failures with ERROR messages; this is a bug, logged, and the stream id is lost
            log.error("native protocol request from {} failed unanswered", session.remote, e);
            ctx.close();
            return;
        }
        Channel channel = ctx.channel();
        if (channel.isActive()) {
            ctx.writeAndFlush(encode(a.streamId(), a.warnings(), a.message()), ctx.voidPromise());
            if (a.startup() && session.version >= 5
                    && (a.message() instanceof Ready || a.message() instanceof Authenticate)) {
                session.segments = true; // v5: everything after READY (or AUTHENTICATE) travels in segments
            }
        }
        drainWaiting();
    }

    private void drainWaiting() {
        if (draining) {
            return; // the loop below, further up this thread's stack, goes on
        }
        draining = true;
        try {
            while (!waiting.isEmpty() && canDispatch() && ctx.channel().isActive()) {
                dispatch(waiting.poll());
            }
        } finally {
            draining = false;
        }
        updateAutoRead();
    }

    /** Reads the socket only while a new request could start at once. */
    private void updateAutoRead() {
        boolean read = waiting.isEmpty() && canDispatch();
        if (ctx.channel().config().isAutoRead() != read) {
            ctx.channel().config().setAutoRead(read);
        }
    }

    private CompletionStage<Answer> answer(Buf frame) {
        byte[] bytes = frame.array();
        int version = bytes[0] & 0x7F;
        int streamId = (short) (((bytes[2] & 0xFF) << 8) | (bytes[3] & 0xFF));
        if (version < MIN_VERSION || version > MAX_VERSION) {
            // Drivers start with their newest version and step down on this answer (see the ADR).
            return CompletableFuture.completedFuture(new Answer(streamId, List.of(),
                    new Error(ErrorCode.PROTOCOL_ERROR, "Invalid or unsupported protocol version (" + version
                            + "); supported versions are (4/v4, 5/v5)"), false));
        }
        boolean startup = bytes[4] == ProtocolConstants.Opcode.STARTUP;
        if (startup || !session.ready) {
            session.version = version; // answers follow the version the connection started with
        }
        Frame request;
        try {
            // Until STARTUP is answered nothing is compressed; READY itself goes out plain.
            request = codecs.frames(session).decode(frame);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new Answer(streamId, List.of(),
                    new Error(ErrorCode.PROTOCOL_ERROR, NativeErrors.fit("malformed frame: " + e)), false));
        }
        return requests.handle(request.message, session)
                .thenApply(reply -> new Answer(streamId, reply.warnings(), reply.message(), startup));
    }

    /**
     * From any thread (a schema or ring listener): an EVENT frame for this connection, written by the event
     * loop if the socket has room; dropped otherwise (events are advisory, drivers also refresh on their own).
     */
    private void offerEvent(Event event) {
        if (eventsQueued.incrementAndGet() > EVENT_BUFFER) {
            eventsQueued.decrementAndGet();
            eventsDropped.incrementAndGet();
            return;
        }
        ctx.channel().eventLoop().execute(() -> {
            eventsQueued.decrementAndGet();
            Channel channel = ctx.channel();
            if (channel.isActive() && channel.isWritable()) {
                ctx.writeAndFlush(encode(-1, List.of(), event), ctx.voidPromise());
            } else {
                eventsDropped.incrementAndGet();
            }
        });
    }

    /** EVENTs dropped because the client did not take them (tests, logs). */
    long eventsDropped() {
        return eventsDropped.get();
    }

    /** The most requests this connection had executing at once (tests). */
    int maxSeenInFlight() {
        return maxSeenInFlight;
    }

    /** A response frame in the connection's version, compressed as it chose, in segments once v5 framing began. */
    private ByteBuf encode(int streamId, List<String> warnings, Message message) {
        List<String> fitted = warnings.isEmpty() ? warnings : warnings.stream().map(NativeErrors::fit).toList();
        Frame response = Frame.forResponse(session.version, streamId, null, Frame.NO_PAYLOAD, fitted, message);
        Buf frame = codecs.frames(session).encode(response);
        if (!session.segments) {
            return Unpooled.wrappedBuffer(frame.array(), 0, frame.writerIndex());
        }
        SegmentCodec<Buf> segmentCodec = codecs.segments(session);
        if (frame.readableBytes() <= Segment.MAX_PAYLOAD_LENGTH) {
            // The usual case: one self-contained segment whose payload is the frame itself.
            List<Object> parts = new ArrayList<>(3);
            segmentCodec.encode(new Segment<>(frame, true), parts);
            return wrap(parts);
        }
        byte[] bytes = frame.readableArray();
        List<Object> parts = new ArrayList<>();
        for (int offset = 0; offset < bytes.length; offset += Segment.MAX_PAYLOAD_LENGTH) {
            int n = Math.min(Segment.MAX_PAYLOAD_LENGTH, bytes.length - offset);
            Buf payload = Buf.allocate(n);
            payload.writeBytes(bytes, offset, n);
            segmentCodec.encode(new Segment<>(payload, false), parts);
        }
        return wrap(parts);
    }

    /** The readable bytes of the parts, in order, as one buffer over their arrays (no copy). */
    private static ByteBuf wrap(List<Object> parts) {
        ByteBuf[] bufs = new ByteBuf[parts.size()];
        for (int i = 0; i < bufs.length; i++) {
            Buf b = (Buf) parts.get(i);
            bufs[i] = Unpooled.wrappedBuffer(b.array(), b.readerIndex(), b.readableBytes());
        }
        return Unpooled.wrappedBuffer(bufs.length, bufs);
    }
}
