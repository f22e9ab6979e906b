package io.sibyl.app.cql.transport;

import com.datastax.oss.protocol.internal.CrcMismatchException;
import com.datastax.oss.protocol.internal.Segment;
import com.datastax.oss.protocol.internal.SegmentCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Cuts a connection's bytes into whole frames, each handed on as a {@link Buf}. Frames come bare (v4,
 * and v5 until STARTUP) or, once a v5 STARTUP has been read, inside v5 segments: a header with a CRC24
 * and a payload with a CRC32 (the library's {@link SegmentCodec} checks both and decompresses), whose
 * payload is one or more whole frames (self-contained) or a part of one large frame. A frame over the
 * limit, a CRC mismatch or a segment that ends inside a frame throws: the connection is closed (by
 * {@link NativeConnection#exceptionCaught}) and no other is touched.
 */
final class FrameDecoder extends ByteToMessageDecoder {

    private static final int HEADER = 9;
    private static final byte OPCODE_STARTUP = 0x01;

    private final int maxFrameBytes;
    private final Supplier<SegmentCodec<Buf>> segmentCodec;
    private boolean segments;
    /** Parts of a frame spread over segments that are not self-contained. */
    private Buf partial;

    /**
     * @param maxFrameBytes the largest frame, header included
     * @param segmentCodec  the codec of this connection's segments (its compression is known by the time
     *                      segments start: the STARTUP that chose it is answered before the client sends more)
     */
    FrameDecoder(int maxFrameBytes, Supplier<SegmentCodec<Buf>> segmentCodec) {
        this.maxFrameBytes = maxFrameBytes;
        this.segmentCodec = segmentCodec;
    }

    /** One frame, or the frames of one segment, per call: the decoder loop hands each on before the next. */
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws CrcMismatchException {
        if (!segments) {
            decodeFrame(in, out);
        } else {
            decodeSegment(in, out);
        }
    }

    private void decodeFrame(ByteBuf in, List<Object> out) {
        if (in.readableBytes() < HEADER) return;
        int start = in.readerIndex();
        int length = checkedLength(in.getInt(start + 5));
        if (in.readableBytes() < HEADER + length) return;
        byte[] frame = new byte[HEADER + length];
        in.readBytes(frame);
        out.add(Buf.wrap(frame));
        // v5 framing starts after STARTUP: the client sends nothing more until READY.
        if ((frame[0] & 0x7F) >= 5 && frame[4] == OPCODE_STARTUP) {
            segments = true;
        }
    }

    private void decodeSegment(ByteBuf in, List<Object> out) throws CrcMismatchException {
        SegmentCodec<Buf> codec = segmentCodec.get();
        int headerLength = codec.headerLength() + SegmentCodec.CRC24_LENGTH;
        if (in.readableBytes() < headerLength) return;
        int start = in.readerIndex();
        SegmentCodec.Header header = codec.decodeHeader(Buf.wrap(ByteBufUtil.getBytes(in, start, headerLength)));
        int total = headerLength + header.payloadLength + SegmentCodec.CRC32_LENGTH;
        if (in.readableBytes() < total) return;
        byte[] body = ByteBufUtil.getBytes(in, start + headerLength, total - headerLength);
        in.skipBytes(total);
        Segment<Buf> segment = codec.decode(header, Buf.wrap(body));
        Buf payload = segment.payload;
        if (segment.isSelfContained) {
            frames(payload.readableArray(), out);
            return;
        }
        if (partial == null) {
            partial = Buf.allocate(payload.readableBytes());
        }
        partial.writeBytes(payload.array(), payload.readerIndex(), payload.readableBytes());
        if (partial.readableBytes() >= HEADER) {
            int length = checkedLength(partial.getInt(5));
            if (partial.readableBytes() > HEADER + length) {
                throw new CorruptedFrameException("a segment holds more than the rest of its frame");
            }
            if (partial.readableBytes() == HEADER + length) {
                out.add(partial);
                partial = null;
            }
        }
    }

    /** The whole frames of a self-contained segment's payload. */
    private static void frames(byte[] payload, List<Object> out) {
        int offset = 0;
        while (offset < payload.length) {
            if (payload.length - offset < HEADER) {
                throw new CorruptedFrameException("a self-contained segment ends inside a frame header");
            }
            int length = ((payload[offset + 5] & 0xFF) << 24) | ((payload[offset + 6] & 0xFF) << 16)
                    | ((payload[offset + 7] & 0xFF) << 8) | (payload[offset + 8] & 0xFF);
            if (length < 0 || offset + HEADER + length > payload.length) {
                throw new CorruptedFrameException("a self-contained segment ends inside a frame");
            }
            out.add(offset == 0 && length + HEADER == payload.length ? Buf.wrap(payload)
                    : Buf.wrap(Arrays.copyOfRange(payload, offset, offset + HEADER + length)));
            offset += HEADER + length;
        }
    }

    private int checkedLength(int length) {
        if (length < 0 || length > maxFrameBytes - HEADER) {
            throw new CorruptedFrameException("frame body of " + length + " bytes exceeds the limit of "
                    + (maxFrameBytes - HEADER));
        }
        return length;
    }
}
