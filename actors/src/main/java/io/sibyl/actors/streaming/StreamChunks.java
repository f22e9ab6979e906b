package io.sibyl.actors.streaming;

import org.apache.pekko.util.ByteString;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * The chunk format of a range stream (docs/storage-format.md, "Range streaming"): each stream element
 * is {@code [crc32 of payload: int][payload]}. The payloads, concatenated, are a sequence of frames
 * {@code [length: int > 0][serialized mutation]} ended by {@code [0: int][partitions sent: long]};
 * a frame may span chunks. The end frame lets the receiver tell a complete stream from a cut one.
 */
final class StreamChunks {

    static final int HEADER = 4;

    private StreamChunks() {
    }

    static ByteString chunk(byte[] payload, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(payload, offset, length);
        ByteBuffer b = ByteBuffer.allocate(HEADER + length);
        b.putInt((int) crc.getValue());
        b.put(payload, offset, length);
        return ByteString.fromArrayUnsafe(b.array());
    }

    /** The payload of {@code chunk}, or a StreamException naming {@code context} if its CRC does not match. */
    static byte[] payload(ByteString chunk, long index, String context) {
        if (chunk.size() < HEADER) {
            throw new StreamException("chunk " + index + " of " + context + " is truncated (" + chunk.size() + " bytes)");
        }
        ByteBuffer b = chunk.asByteBuffer();
        int expected = b.getInt();
        byte[] payload = new byte[chunk.size() - HEADER];
        b.get(payload);
        CRC32 crc = new CRC32();
        crc.update(payload);
        if ((int) crc.getValue() != expected) {
            throw new StreamException("CRC mismatch in chunk " + index + " of " + context + ": expected "
                    + Integer.toHexString(expected) + ", computed " + Integer.toHexString((int) crc.getValue())
                    + " (corrupted in transit); the session fails and can be retried with the same id");
        }
        return payload;
    }
}
