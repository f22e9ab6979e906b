package io.sibyl.storage.read;

import io.sibyl.storage.data.Cell;
import io.sibyl.storage.data.Clustering;
import io.sibyl.storage.data.ClusteringBound;
import io.sibyl.storage.data.DeletionTime;
import io.sibyl.storage.data.PartitionUpdate;
import io.sibyl.storage.data.RangeTombstone;
import io.sibyl.storage.data.Row;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;

/**
 * MD5 (as Cassandra's digest reads) over a canonical encoding of unfiltered partitions. Every field
 * that reconciliation looks at is included, so equal digests mean replicas would merge identically.
 * The encoding is internal: only digests computed by the same version are compared.
 */
public final class ReadDigest {

    private ReadDigest() {
    }

    public static byte[] of(List<PartitionUpdate> partitions) {
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has MD5", e);
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            for (PartitionUpdate p : partitions) {
                out.writeLong(p.key().token());
                bytes(out, p.key().key());
                deletion(out, p.partitionDeletion());
                out.writeInt(p.rangeTombstones().size());
                for (RangeTombstone rt : p.rangeTombstones()) {
                    bound(out, rt.slice().start());
                    bound(out, rt.slice().end());
                    deletion(out, rt.deletion());
                }
                row(out, p.staticRow());
                out.writeInt(p.rows().size());
                for (Row r : p.rows()) {
                    row(out, r);
                }
                md5.update(buffer.toByteArray());
                buffer.reset();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return md5.digest();
    }

    private static void row(DataOutputStream out, Row r) throws IOException {
        Clustering c = r.clustering();
        out.writeBoolean(c.isStatic());
        out.writeInt(c.size());
        for (int i = 0; i < c.size(); i++) {
            bytes(out, c.get(i));
        }
        out.writeLong(r.primaryKeyLivenessInfo().timestamp());
        out.writeInt(r.primaryKeyLivenessInfo().ttl());
        out.writeInt(r.primaryKeyLivenessInfo().localExpirationTime());
        deletion(out, r.deletion());
        out.writeInt(r.complexDeletions().size());
        for (Map.Entry<String, DeletionTime> e : r.complexDeletions().entrySet()) {
            bytes(out, e.getKey().getBytes(StandardCharsets.UTF_8));
            deletion(out, e.getValue());
        }
        out.writeInt(r.cells().size());
        for (Cell cell : r.cells()) {
            bytes(out, cell.column().getBytes(StandardCharsets.UTF_8));
            bytes(out, cell.path());
            bytes(out, cell.value());
            out.writeLong(cell.timestamp());
            out.writeInt(cell.ttl());
            out.writeInt(cell.localDeletionTime());
        }
    }

    private static void bound(DataOutputStream out, ClusteringBound b) throws IOException {
        out.writeBoolean(b.isStart());
        out.writeBoolean(b.isInclusive());
        out.writeInt(b.size());
        for (int i = 0; i < b.size(); i++) {
            bytes(out, b.get(i));
        }
    }

    private static void deletion(DataOutputStream out, DeletionTime d) throws IOException {
        out.writeLong(d.markedForDeleteAt());
        out.writeInt(d.localDeletionTime());
    }

    private static void bytes(DataOutputStream out, byte[] b) throws IOException {
        if (b == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(b.length);
            out.write(b);
        }
    }
}
