package io.sibyl.app.cql.transport;

import com.datastax.oss.protocol.internal.CrcMismatchException;
import com.datastax.oss.protocol.internal.Segment;
import com.datastax.oss.protocol.internal.SegmentCodec;
import java.util.ArrayDeque;
import java.util.function.Supplier;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * Cuts a connection's bytes into whole frames. Frames come bare (v4, and v5 until STARTUP) or, once a
 * v5 STARTUP has been read, inside v5 segments: a header with a CRC24 and a payload with a CRC32 (the
 * library's {@link SegmentCodec} checks both and decompresses), whose payload is one or more whole
 * frames (self-contained) or a part of one large frame. A frame or segment that breaks the limits or
 * a CRC fails the stage, which closes the connection.
 */
final class FrameDecoderStage extends GraphStage<FlowShape<ByteString, ByteString>> {

    private static final int HEADER = 9;
    private static final byte OPCODE_STARTUP = 0x01;

    private final Inlet<ByteString> in = Inlet.create("FrameDecoder.in");
    private final Outlet<ByteString> out = Outlet.create("FrameDecoder.out");
    private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);
    private final int maxFrameBytes;
    private final Supplier<SegmentCodec<Buf>> segmentCodec;

    /** @param segmentCodec the codec of this connection's segments (its compression is known by then) */
    FrameDecoderStage(int maxFrameBytes, Supplier<SegmentCodec<Buf>> segmentCodec) {
        this.maxFrameBytes = maxFrameBytes;
        this.segmentCodec = segmentCodec;
    }

    @Override
    public FlowShape<ByteString, ByteString> shape() {
        return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes) {
        return new GraphStageLogic(shape) {
            private ByteString buffer = ByteString.emptyByteString();
            private final ArrayDeque<ByteString> ready = new ArrayDeque<>();
            private boolean segments;
            /** Parts of a frame spread over segments that are not self-contained. */
            private ByteString partial = ByteString.emptyByteString();

            {
                setHandler(in, new AbstractInHandler() {
                    @Override
                    public void onPush() {
                        buffer = buffer.concat(grab(in));
                        try {
                            parse();
                        } catch (CrcMismatchException | RuntimeException e) {
                            // a client's bad bytes: close this connection (logged by the server), no stage error
                            failStage(e);
                            return;
                        }
                        emitOrPull();
                    }

                    @Override
                    public void onUpstreamFinish() {
                        if (ready.isEmpty()) {
                            completeStage();
                        }
                    }
                });
                setHandler(out, new AbstractOutHandler() {
                    @Override
                    public void onPull() {
                        emitOrPull();
                    }
                });
            }

            private void emitOrPull() {
                if (!ready.isEmpty()) {
                    if (isAvailable(out)) {
                        push(out, ready.poll());
                    }
                    if (ready.isEmpty() && isClosed(in)) {
                        completeStage();
                    }
                } else if (isClosed(in)) {
                    completeStage();
                } else if (!hasBeenPulled(in)) {
                    pull(in);
                }
            }

            private void parse() throws CrcMismatchException {
                while (true) {
                    if (!segments) {
                        if (buffer.size() < HEADER) return;
                        int length = bodyLength(buffer, 0);
                        if (length < 0 || length > maxFrameBytes - HEADER) {
                            throw new IllegalStateException("frame body of " + length + " bytes exceeds the limit of "
                                    + (maxFrameBytes - HEADER));
                        }
                        if (buffer.size() < HEADER + length) return;
                        ByteString frame = buffer.take(HEADER + length);
                        buffer = buffer.drop(HEADER + length);
                        ready.add(frame);
                        // v5 framing starts after STARTUP: the client sends nothing more until READY.
                        if ((frame.apply(0) & 0x7F) >= 5 && frame.apply(4) == OPCODE_STARTUP) {
                            segments = true;
                        }
                    } else {
                        SegmentCodec<Buf> codec = segmentCodec.get();
                        int headerLength = codec.headerLength() + SegmentCodec.CRC24_LENGTH;
                        if (buffer.size() < headerLength) return;
                        SegmentCodec.Header header = codec.decodeHeader(Buf.wrap(buffer.take(headerLength).toArray()));
                        int total = headerLength + header.payloadLength + SegmentCodec.CRC32_LENGTH;
                        if (buffer.size() < total) return;
                        Segment<Buf> segment = codec.decode(header,
                                Buf.wrap(buffer.slice(headerLength, total).toArray()));
                        buffer = buffer.drop(total);
                        Buf p = segment.payload; // owned by this segment: shared, not copied
                        ByteString payload = ByteString.fromArrayUnsafe(p.array(), p.readerIndex(), p.readableBytes());
                        if (segment.isSelfContained) {
                            frames(payload);
                        } else {
                            partial = partial.concat(payload);
                            if (partial.size() >= HEADER) {
                                int length = bodyLength(partial, 0);
                                if (length < 0 || length > maxFrameBytes - HEADER) {
                                    throw new IllegalStateException("frame body of " + length
                                            + " bytes exceeds the limit of " + (maxFrameBytes - HEADER));
                                }
                                if (partial.size() >= HEADER + length) {
                                    ready.add(partial.take(HEADER + length));
                                    partial = ByteString.emptyByteString();
                                }
                            }
                        }
                    }
                }
            }

            /** The whole frames of a self-contained segment's payload. */
            private void frames(ByteString payload) {
                int offset = 0;
                while (offset < payload.size()) {
                    if (payload.size() - offset < HEADER) {
                        throw new IllegalStateException("a self-contained segment ends inside a frame header");
                    }
                    int length = bodyLength(payload, offset);
                    if (length < 0 || offset + HEADER + length > payload.size()) {
                        throw new IllegalStateException("a self-contained segment ends inside a frame");
                    }
                    ready.add(payload.slice(offset, offset + HEADER + length));
                    offset += HEADER + length;
                }
            }
        };
    }

    private static int bodyLength(ByteString b, int offset) {
        return ((b.apply(offset + 5) & 0xFF) << 24) | ((b.apply(offset + 6) & 0xFF) << 16)
                | ((b.apply(offset + 7) & 0xFF) << 8) | (b.apply(offset + 8) & 0xFF);
    }
}
