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
import com.datastax.oss.protocol.internal.request.Execute;
import com.datastax.oss.protocol.internal.request.Options;
import com.datastax.oss.protocol.internal.request.Query;
import com.datastax.oss.protocol.internal.request.Register;
import com.datastax.oss.protocol.internal.request.Startup;
import com.datastax.oss.protocol.internal.request.query.QueryOptions;
import com.datastax.oss.protocol.internal.response.Error;
import com.datastax.oss.protocol.internal.response.Ready;
import com.datastax.oss.protocol.internal.response.Supported;
import com.datastax.oss.protocol.internal.response.error.Unprepared;
import com.datastax.oss.protocol.internal.response.result.Rows;
import com.datastax.oss.protocol.internal.response.result.SchemaChange;
import com.datastax.oss.protocol.internal.response.event.SchemaChangeEvent;
import io.sibyl.app.node.SibylNode;
import io.sibyl.app.node.TestNodes;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Raw frames against a node's native protocol server: bad input gets the protocol's error or a clean close. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NativeProtocolFramesTest {

    @TempDir
    static Path dataDir;

    private static final FrameCodec<Buf> CLIENT = FrameCodec.defaultClient(BufPrimitiveCodec.INSTANCE, Compressor.none());

    private SibylNode node;

    @BeforeAll
    void start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        node = TestNodes.start(dataDir, Map.of("sibyl.cql.port", port, "sibyl.cql.max_frame_size", 65536));
    }

    @AfterAll
    void stop() throws Exception {
        if (node != null) node.stop().get();
    }

    /** A connection speaking v4 frames. */
    private final class Client implements AutoCloseable {
        final Socket socket = new Socket("127.0.0.1", node.cqlPort());
        final OutputStream out = socket.getOutputStream();
        final DataInputStream in = new DataInputStream(socket.getInputStream());

        Client() throws IOException {
            socket.setSoTimeout(20_000);
        }

        void send(int stream, Message m) throws IOException {
            Buf b = CLIENT.encode(Frame.forRequest(4, stream, false, Frame.NO_PAYLOAD, m));
            out.write(b.array(), 0, b.writerIndex());
            out.flush();
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

        Frame call(int stream, Message m) throws IOException {
            send(stream, m);
            Frame f = receive();
            assertEquals(stream, f.streamId);
            return f;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void optionsStartupAndAQuery() throws Exception {
        try (Client c = new Client()) {
            Supported supported = assertInstanceOf(Supported.class, c.call(1, Options.INSTANCE).message);
            assertTrue(supported.options.get("CQL_VERSION").size() > 0);
            assertInstanceOf(Ready.class, c.call(2, new Startup()).message);
            Rows local = assertInstanceOf(Rows.class, c.call(3, new Query("SELECT * FROM system.local")).message);
            assertEquals(1, local.getData().size());
        }
    }

    @Test
    void snappyCompressedV4FramesBothWays() throws Exception {
        FrameCodec<Buf> snappy = FrameCodec.defaultClient(BufPrimitiveCodec.INSTANCE, SnappyCompressor.INSTANCE);
        try (Client c = new Client()) {
            Supported supported = assertInstanceOf(Supported.class, c.call(1, Options.INSTANCE).message);
            assertTrue(supported.options.get("COMPRESSION").contains("snappy"), supported.options.toString());
            assertInstanceOf(Ready.class, c.call(2, new Startup(java.util.Map.of("COMPRESSION", "snappy"))).message);
            // a compressed request (flag 0x01), and the answer comes back compressed
            Buf request = snappy.encode(Frame.forRequest(4, 3, false, Frame.NO_PAYLOAD,
                    new Query("SELECT * FROM system.local WHERE key = 'local'")));
            assertEquals(1, request.array()[1] & 0x01, "the client codec compressed the request");
            c.out.write(request.array(), 0, request.writerIndex());
            c.out.flush();
            byte[] header = new byte[9];
            c.in.readFully(header);
            assertEquals(1, header[1] & 0x01, "the answer is snappy-compressed");
            int length = ((header[5] & 0xFF) << 24) | ((header[6] & 0xFF) << 16) | ((header[7] & 0xFF) << 8) | (header[8] & 0xFF);
            byte[] frame = new byte[9 + length];
            System.arraycopy(header, 0, frame, 0, 9);
            c.in.readFully(frame, 9, length);
            Rows local = assertInstanceOf(Rows.class, snappy.decode(Buf.wrap(frame)).message);
            assertEquals(1, local.getData().size());
        }
    }

    @Test
    void anUnknownCompressionIsAProtocolError() throws Exception {
        try (Client c = new Client()) {
            Error e = assertInstanceOf(Error.class, c.call(1, new Startup(java.util.Map.of("COMPRESSION", "zstd"))).message);
            assertEquals(ProtocolConstants.ErrorCode.PROTOCOL_ERROR, e.code);
            assertTrue(e.message.contains("zstd"), e.message);
            // still usable: a STARTUP without compression
            assertInstanceOf(Ready.class, c.call(2, new Startup()).message);
        }
    }

    @Test
    void requestsBeforeStartupAreRefused() throws Exception {
        try (Client c = new Client()) {
            Error e = assertInstanceOf(Error.class, c.call(5, new Query("SELECT * FROM system.local")).message);
            assertEquals(ProtocolConstants.ErrorCode.PROTOCOL_ERROR, e.code);
        }
    }

    @Test
    void anUnsupportedProtocolVersionAnswersAProtocolErrorTheDriversNegotiateOn() throws Exception {
        try (Client c = new Client()) {
            Buf b = CLIENT.encode(Frame.forRequest(4, 9, false, Frame.NO_PAYLOAD, Options.INSTANCE));
            b.array()[0] = 6; // a v6 OPTIONS
            c.out.write(b.array(), 0, b.writerIndex());
            Frame f = c.receive();
            assertEquals(9, f.streamId);
            Error e = assertInstanceOf(Error.class, f.message);
            assertEquals(ProtocolConstants.ErrorCode.PROTOCOL_ERROR, e.code);
            assertTrue(e.message.contains("Invalid or unsupported protocol version"), e.message);
            // the connection stays usable in v4
            assertInstanceOf(Ready.class, c.call(10, new Startup()).message);
        }
    }

    @Test
    void registeredConnectionsReceiveSchemaChangeEvents() throws Exception {
        try (Client listener = new Client(); Client ddl = new Client()) {
            listener.call(1, new Startup());
            assertInstanceOf(Ready.class, listener.call(2, new Register(List.of("SCHEMA_CHANGE", "STATUS_CHANGE"))).message);
            ddl.call(1, new Startup());
            Message created = ddl.call(2, new Query(
                    "CREATE KEYSPACE evks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")).message;
            SchemaChange change = assertInstanceOf(SchemaChange.class, created);
            assertEquals("CREATED", change.changeType);
            Frame event = listener.receive();
            assertEquals(-1, event.streamId);
            SchemaChangeEvent e = assertInstanceOf(SchemaChangeEvent.class, event.message);
            assertEquals("CREATED", e.changeType);
            assertEquals("KEYSPACE", e.target);
            assertEquals("evks", e.keyspace);
            Error unknown = assertInstanceOf(Error.class, listener.call(3, new Register(List.of("NOPE"))).message);
            assertEquals(ProtocolConstants.ErrorCode.PROTOCOL_ERROR, unknown.code);
        }
    }

    /** A v5 frame in one self-contained segment. */
    private static byte[] segment(Message m, int stream) {
        Buf frame = CLIENT.encode(Frame.forRequest(5, stream, false, Frame.NO_PAYLOAD, m));
        List<Object> parts = new java.util.ArrayList<>();
        SEGMENTS.encode(new Segment<>(frame, true), parts);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Object p : parts) {
            byte[] b = ((Buf) p).readableArray();
            out.write(b, 0, b.length);
        }
        return out.toByteArray();
    }

    private static final SegmentCodec<Buf> SEGMENTS = new SegmentCodec<>(BufPrimitiveCodec.INSTANCE, Compressor.none());

    @Test
    void v5SegmentsAfterStartupAndACrcMismatchCloses() throws Exception {
        try (Client c = new Client()) {
            Buf startup = CLIENT.encode(Frame.forRequest(5, 1, false, Frame.NO_PAYLOAD, new Startup()));
            c.out.write(startup.array(), 0, startup.writerIndex());
            Frame ready = c.receive(); // READY still comes as a bare frame
            assertEquals(5, ready.protocolVersion);
            assertInstanceOf(Ready.class, ready.message);

            c.out.write(segment(new Query("SELECT * FROM system.local"), 2));
            byte[] header = new byte[6];
            c.in.readFully(header);
            SegmentCodec.Header h = SEGMENTS.decodeHeader(Buf.wrap(header));
            assertTrue(h.isSelfContained);
            byte[] rest = new byte[h.payloadLength + 4];
            c.in.readFully(rest);
            Segment<Buf> seg = SEGMENTS.decode(h, Buf.wrap(rest));
            Frame rows = CLIENT.decode(seg.payload);
            assertEquals(2, rows.streamId);
            assertInstanceOf(Rows.class, rows.message);

            byte[] corrupt = segment(new Query("SELECT * FROM system.local"), 3);
            corrupt[corrupt.length - 1] ^= 0x55; // payload CRC32
            c.out.write(corrupt);
            boolean closed;
            try {
                closed = c.in.read() == -1;
            } catch (IOException e) {
                closed = true;
            }
            assertTrue(closed, "a CRC mismatch closes the connection");
        }
    }

    @Test
    void executeOfAnUnknownIdAnswersUnprepared() throws Exception {
        try (Client c = new Client()) {
            c.call(1, new Startup());
            byte[] id = {1, 2, 3, 4};
            Unprepared u = assertInstanceOf(Unprepared.class,
                    c.call(2, new Execute(id, QueryOptions.DEFAULT)).message);
            assertEquals(ProtocolConstants.ErrorCode.UNPREPARED, u.code);
        }
    }

    @Test
    void aMalformedBodyAnswersAnErrorAndTheConnectionGoesOn() throws Exception {
        try (Client c = new Client()) {
            c.call(1, new Startup());
            // a QUERY whose [long string] claims more bytes than the body holds
            byte[] frame = {4, 0, 0, 7, ProtocolConstants.Opcode.QUERY, 0, 0, 0, 4, 0, 0, 0x7f, 0x7f};
            c.out.write(frame);
            Frame f = c.receive();
            assertEquals(7, f.streamId);
            Error e = assertInstanceOf(Error.class, f.message);
            assertEquals(ProtocolConstants.ErrorCode.PROTOCOL_ERROR, e.code);
            // unknown opcode
            c.out.write(new byte[] {4, 0, 0, 8, 0x55, 0, 0, 0, 0});
            Frame g = c.receive();
            assertEquals(8, g.streamId);
            assertInstanceOf(Error.class, g.message);
            assertInstanceOf(Rows.class, c.call(9, new Query("SELECT * FROM system.local")).message);
        }
    }

    @Test
    void aFrameOverTheLimitClosesOnlyThatConnection() throws Exception {
        try (Client bad = new Client(); Client good = new Client()) {
            good.call(1, new Startup());
            bad.call(1, new Startup());
            byte[] header = {4, 0, 0, 2, ProtocolConstants.Opcode.QUERY, 0, 0x10, 0, 0}; // 1 MiB body > 64 KiB
            bad.out.write(header);
            bad.out.flush();
            InputStream in = bad.socket.getInputStream();
            boolean closed;
            try {
                closed = in.read() == -1;
            } catch (IOException e) {
                closed = true; // reset
            }
            assertTrue(closed, "the connection is closed");
            assertInstanceOf(Rows.class, good.call(2, new Query("SELECT * FROM system.local")).message);
        }
    }
}
