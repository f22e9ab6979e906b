package io.sibyl.app.cql.exec;

import io.sibyl.app.errors.InvalidRequestException;
import io.sibyl.storage.data.Clustering;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Base64;

/**
 * Where a paged read stopped, as an opaque URL-safe base64 token: the partition (index in the IN list
 * and key bytes), whether it is still being read and after which clustering, and the LIMIT and
 * PER PARTITION LIMIT rows still to return.
 *
 * @param keyIndex      index of the partition in the query's key list (-1 for range reads)
 * @param partitionKey  serialized key of the last partition touched; null when nothing was read yet
 * @param inPartition   true: continue inside that partition after {@code lastClustering} (its start
 *                      when null); false: continue with the partition after it
 * @param lastClustering values of the last clustering returned, or null
 * @param remaining     rows LIMIT still allows
 * @param perPartitionRemaining rows PER PARTITION LIMIT still allows in the current partition
 */
record PagingState(int keyIndex, byte[] partitionKey, boolean inPartition, byte[][] lastClustering, int remaining,
                   int perPartitionRemaining) {

    private static final int VERSION = 1;

    static PagingState start(int limit, int perPartitionLimit) {
        return new PagingState(-1, null, false, null, limit, perPartitionLimit);
    }

    Clustering clustering() {
        return lastClustering == null ? null : Clustering.of(lastClustering);
    }

    String encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(VERSION);
            out.writeByte((partitionKey != null ? 1 : 0) | (inPartition ? 2 : 0) | (lastClustering != null ? 4 : 0));
            out.writeInt(keyIndex);
            if (partitionKey != null) {
                writeBytes(out, partitionKey);
            }
            if (lastClustering != null) {
                out.writeShort(lastClustering.length);
                for (byte[] v : lastClustering) {
                    writeBytes(out, v);
                }
            }
            out.writeInt(remaining);
            out.writeInt(perPartitionRemaining);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.toByteArray());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static PagingState decode(String token) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(Base64.getUrlDecoder().decode(token)));
            if (in.readByte() != VERSION) {
                throw new IOException("version");
            }
            int flags = in.readByte();
            int keyIndex = in.readInt();
            byte[] key = (flags & 1) != 0 ? readBytes(in) : null;
            byte[][] clustering = null;
            if ((flags & 4) != 0) {
                int n = in.readShort();
                if (n < 0) {
                    throw new IOException("count");
                }
                clustering = new byte[n][];
                for (int i = 0; i < n; i++) {
                    clustering[i] = readBytes(in);
                }
            }
            int remaining = in.readInt();
            int perPartition = in.readInt();
            if (in.available() > 0 || remaining <= 0 || perPartition < 0) {
                throw new IOException("trailing");
            }
            return new PagingState(keyIndex, key, (flags & 2) != 0, clustering, remaining, perPartition);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidRequestException("Invalid value for the paging state");
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("length");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }
}
