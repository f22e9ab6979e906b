package io.sibyl.app.cql.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.protocol.internal.Compressor;
import com.datastax.oss.protocol.internal.Frame;
import com.datastax.oss.protocol.internal.FrameCodec;
import com.datastax.oss.protocol.internal.Message;
import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.protocol.internal.Segment;
import com.datastax.oss.protocol.internal.SegmentCodec;
import com.datastax.oss.protocol.internal.request.Query;
import com.datastax.oss.protocol.internal.request.Register;
import com.datastax.oss.protocol.internal.request.Startup;
import com.datastax.oss.protocol.internal.response.Event;
import com.datastax.oss.protocol.internal.response.Ready;
import com.datastax.oss.protocol.internal.response.event.SchemaChangeEvent;
import com.datastax.oss.protocol.internal.response.result.Void;
import io.sibyl.app.tls.NodeTls;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Netty connection handling of {@link NativeProtocolServer} against a scripted request handler: the
 * in-flight bound, bad input closing one connection only, and EVENTs that a client does not read.
 */
class NativeConnectionTest {

    private static final FrameCodec<Buf> CLIENT = FrameCodec.defaultClient(BufPrimitiveCodec.INSTANCE, Compressor.none());
    private static final SegmentCodec<Buf> SEGMENTS = new SegmentCodec<>(BufPrimitiveCodec.INSTANCE, Compressor.none());
    private static final int MAX_IN_FLIGHT = 4;

    /** QUERY answers wait here until the test completes them; everything else is answered at once. */
    private final LinkedBlockingQueue<CompletableFuture<NativeRequestHandler.Reply>> held = new LinkedBlockingQueue<>();
    private final AtomicInteger executing = new AtomicInteger();
    private final AtomicInteger maxExecuting = new AtomicInteger();
    private final AtomicReference<Consumer<Event>> eventSink = new AtomicReference<>();
    private volatile boolean holdQueries;
    private NativeProtocolServer server;

    private CompletionStage<NativeRequestHandler.Reply> handle(Message request, NativeRequestHandler.Session session) {
        if (request instanceof Startup) {
            session.ready = true;
            return done(new Ready());
        }
        if (request instanceof Register) {
            eventSink.set(session.eventSink);
            return done(new Ready());
        }
        if (!holdQueries) {
            return done(Void.INSTANCE);
        }
        maxExecuting.accumulateAndGet(executing.incrementAndGet(), Math::max);
        CompletableFuture<NativeRequestHandler.Reply> f = new CompletableFuture<>();
        held.add(f);
        return f.whenComplete((r, t) -> executing.decrementAndGet());
    }

    private static CompletionStage<NativeRequestHandler.Reply> done(Message m) {
        return CompletableFuture.completedFuture(new NativeRequestHandler.Reply(m, List.of()));
    }

    private void start(long maxFrameBytes) throws Exception {
        server = NativeProtocolServer.bind(new NativeTransportSettings("127.0.0.1", 0, maxFrameBytes, MAX_IN_FLIGHT,
                100, 2, 0), this::handle, NodeTls.off(), () -> { });
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) server.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private final class Client implements AutoCloseable {
        final Socket socket;
        final OutputStream out;
        final DataInputStream in;

        Client(int receiveBuffer) throws IOException {
            socket = new Socket();
            if (receiveBuffer > 0) socket.setReceiveBufferSize(receiveBuffer);
            socket.connect(server.localAddress());
            socket.setSoTimeout(20_000);
            out = socket.getOutputStream();
            in = new DataInputStream(socket.getInputStream());
        }

        byte[] frame(int version, int stream, Message m) {
            Buf b = CLIENT.encode(Frame.forRequest(version, stream, false, Frame.NO_PAYLOAD, m));
            return java.util.Arrays.copyOf(b.array(), b.writerIndex());
        }

        void send(int stream, Message m) throws IOException {
            out.write(frame(4, stream, m));
        }

        Frame receive() throws IOException {
            byte[] header = new byte[9];
            in.readFully(header);
            int length = ((header[5] & 0xFF) << 24) | ((header[6] & 0xFF) << 16) | ((header[7] & 0xFF) << 8) | (header[8] & 0xFF);
            byte[] frame = new byte[9 + length];
            System.arraycopy(header, 0, frame, 0, 9);
            in.readFully(frame, 9, length);
            return CLIENT.decode(Buf.wrap(frame));
        }

        /** A v5 frame in one self-contained segment, and its answer likewise. */
        byte[] segment(int stream, Message m) {
            Buf frame = CLIENT.encode(Frame.forRequest(5, stream, false, Frame.NO_PAYLOAD, m));
            List<Object> parts = new ArrayList<>();
            SEGMENTS.encode(new Segment<>(frame, true), parts);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (Object p : parts) {
                byte[] b = ((Buf) p).readableArray();
                out.write(b, 0, b.length);
            }
            return out.toByteArray();
        }

        Frame receiveSegment() throws Exception {
            byte[] header = new byte[6];
            in.readFully(header);
            SegmentCodec.Header h = SEGMENTS.decodeHeader(Buf.wrap(header));
            byte[] rest = new byte[h.payloadLength + 4];
            in.readFully(rest);
            return CLIENT.decode(SEGMENTS.decode(h, Buf.wrap(rest)).payload);
        }

        boolean closedByServer() {
            try {
                return in.read() == -1;
            } catch (IOException e) {
                return true; // reset
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void aClientWithMoreThanTheLimitInFlightGetsEveryAnswerAndNeverMoreThanTheLimitRun() throws Exception {
        start(65536);
        holdQueries = true;
        int requests = 40;
        try (Client c = new Client(0)) {
            c.send(1, new Startup());
            assertInstanceOf(Ready.class, c.receive().message);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int i = 0; i < requests; i++) {
                all.write(c.frame(4, 100 + i, new Query("INSERT " + i)));
            }
            c.out.write(all.toByteArray()); // every request at once, in one write
            c.out.flush();
            // Nothing completes until the limit is reached: completing the first held request at once could
            // free its slot before the event loop has started the second (then only one ever executes).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (executing.get() < MAX_IN_FLIGHT && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            // Complete the held requests from this (non-event-loop) thread, a few at a time, as they arrive.
            Set<Integer> answered = new HashSet<>();
            int completed = 0;
            while (completed < requests) {
                CompletableFuture<NativeRequestHandler.Reply> f = held.poll(10, TimeUnit.SECONDS);
                assertTrue(f != null, "request " + completed + " never started (" + executing.get() + " executing)");
                assertTrue(executing.get() <= MAX_IN_FLIGHT, executing.get() + " requests executing at once");
                f.complete(new NativeRequestHandler.Reply(Void.INSTANCE, List.of()));
                completed++;
            }
            for (int i = 0; i < requests; i++) {
                Frame answer = c.receive();
                assertInstanceOf(Void.class, answer.message);
                answered.add(answer.streamId);
            }
            assertEquals(requests, answered.size(), "one answer per stream id");
            assertEquals(MAX_IN_FLIGHT, maxExecuting.get(), "the limit is reached, not passed");
            assertEquals(MAX_IN_FLIGHT, server.openConnections().get(0).maxSeenInFlight());
            assertEquals(1, server.connectionsAccepted());
        }
    }

    @Test
    void aCrcMismatchAndAnOversizedFrameCloseOnlyTheirConnection() throws Exception {
        start(1024);
        try (Client good = new Client(0); Client crc = new Client(0); Client big = new Client(0)) {
            for (Client c : List.of(good, crc)) {
                c.out.write(c.frame(5, 1, new Startup()));
                Frame ready = c.receive(); // READY goes out bare, later frames in segments
                assertEquals(5, ready.protocolVersion);
                assertInstanceOf(Ready.class, ready.message);
            }
            big.send(1, new Startup());
            assertInstanceOf(Ready.class, big.receive().message);

            byte[] corrupt = crc.segment(2, new Query("SELECT 1"));
            corrupt[corrupt.length - 1] ^= 0x55; // the payload's CRC32
            crc.out.write(corrupt);
            assertTrue(crc.closedByServer(), "a CRC mismatch closes the connection");

            big.out.write(new byte[] {4, 0, 0, 2, ProtocolConstants.Opcode.QUERY, 0, 0, 0x10, 0}); // 4 KiB > 1 KiB
            assertTrue(big.closedByServer(), "a frame over the limit closes the connection");

            good.out.write(good.segment(2, new Query("SELECT 1")));
            Frame answer = good.receiveSegment();
            assertEquals(2, answer.streamId);
            assertInstanceOf(Void.class, answer.message);
            assertEquals(3, server.connectionsAccepted());
        }
    }

    @Test
    void eventsForAClientThatDoesNotReadAreDroppedNotQueued() throws Exception {
        start(65536);
        try (Client c = new Client(4096)) {
            c.send(1, new Startup());
            assertInstanceOf(Ready.class, c.receive().message);
            c.send(2, new Register(List.of("SCHEMA_CHANGE")));
            assertInstanceOf(Ready.class, c.receive().message);
            Consumer<Event> sink = eventSink.get();
            NativeConnection connection = server.openConnections().get(0);
            // The client reads nothing while far more events than any socket buffer holds are offered.
            int offered = 200_000;
            long maxPending = 0;
            for (int i = 0; i < offered; i++) {
                sink.accept(new SchemaChangeEvent("CREATED", "TABLE", "ks", "table_" + i, null));
                if (i % 1000 == 0) maxPending = Math.max(maxPending, server.pendingOutboundBytes());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && server.pendingOutboundBytes() == 0 && connection.eventsDropped() == 0) {
                Thread.sleep(10);
            }
            maxPending = Math.max(maxPending, server.pendingOutboundBytes());
            assertTrue(connection.eventsDropped() > 0, "events are dropped");
            // the channel's high-water mark (64 KiB) plus the events handed to the loop before it went unwritable
            assertTrue(maxPending <= 64 * 1024 + NativeConnection.EVENT_BUFFER * 100,
                    "at most the high-water mark is buffered, not " + maxPending + " bytes");

            // The connection still works: the client reads its backlog of events, then gets its answer.
            c.send(3, new Query("SELECT 1"));
            int events = 0;
            Frame f;
            while ((f = c.receive()).streamId == -1) {
                events++;
            }
            assertEquals(3, f.streamId);
            assertInstanceOf(Void.class, f.message);
            assertTrue(events < offered, events + " events delivered of " + offered);
        }
    }
}
