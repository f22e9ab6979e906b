package io.sibyl.actors.streaming;

import io.sibyl.storage.data.Mutation;
import io.sibyl.storage.schema.TableMetadata;
import io.sibyl.storage.serialization.MutationSerializer;
import org.apache.pekko.util.ByteString;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * The receiving side of one streamed range: verifies each chunk's CRC and reassembles the frames of
 * {@link StreamChunks} (a frame may span chunks) into mutations. Not thread-safe: one stream.
 */
final class IncomingRange {

    private final String context;
    private final Function<UUID, TableMetadata> schema;
    private byte[] buffer = new byte[0];
    private int start;
    private int end;
    private long chunks;
    private long bytes;
    private long mutations;
    private long partitionsSent = -1;

    IncomingRange(String context, Function<UUID, TableMetadata> schema) {
        this.context = context;
        this.schema = schema;
    }

    /** The complete mutations that {@code chunk} finishes; throws StreamException on a corrupt chunk. */
    List<Mutation> accept(ByteString chunk) {
        if (partitionsSent >= 0) {
            throw new StreamException("data after the end of " + context);
        }
        byte[] payload = StreamChunks.payload(chunk, chunks++, context);
        bytes += chunk.size();
        append(payload);
        List<Mutation> out = new ArrayList<>();
        while (end - start >= 4) {
            int len = ByteBuffer.wrap(buffer, start, 4).getInt();
            if (len < 0) {
                throw new StreamException("malformed frame (length " + len + ") in chunk " + (chunks - 1) + " of " + context);
            }
            if (len == 0) {
                if (end - start < 12) {
                    break;
                }
                partitionsSent = ByteBuffer.wrap(buffer, start + 4, 8).getLong();
                start += 12;
                if (end != start) {
                    throw new StreamException("data after the end frame of " + context);
                }
                break;
            }
            if (end - start - 4 < len) {
                break;
            }
            byte[] m = new byte[len];
            System.arraycopy(buffer, start + 4, m, 0, len);
            start += 4 + len;
            List<UUID> unknown = new ArrayList<>();
            Mutation mutation = MutationSerializer.deserialize(m, schema, unknown::add);
            if (!unknown.isEmpty() || mutation == null) {
                throw new StreamException("table(s) " + unknown + " of " + context + " are unknown on this node"
                        + " (schema not yet received?)");
            }
            mutations++;
            out.add(mutation);
        }
        return out;
    }

    private void append(byte[] b) {
        int live = end - start;
        if (end + b.length > buffer.length) {
            byte[] grown = live + b.length > buffer.length ? new byte[Math.max(buffer.length * 2, live + b.length)] : buffer;
            System.arraycopy(buffer, start, grown, 0, live);
            buffer = grown;
            start = 0;
            end = live;
        }
        System.arraycopy(b, 0, buffer, end, b.length);
        end += b.length;
    }

    /** Throws unless the end frame arrived: a stream that completes without it was cut short. */
    void checkComplete() {
        if (partitionsSent < 0) {
            throw new StreamException(context + " ended after " + chunks + " chunks without its end frame"
                    + " (the source stopped sending)");
        }
    }

    long bytes() {
        return bytes;
    }

    long mutations() {
        return mutations;
    }

    long partitionsSent() {
        return partitionsSent;
    }
}
