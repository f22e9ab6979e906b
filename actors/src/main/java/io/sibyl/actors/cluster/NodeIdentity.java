package io.sibyl.actors.cluster;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.TokenAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A node's permanent identity: its id, its tokens and its place in the topology, chosen once at
 * the first start and kept in {@code <data_dir>/system/node-identity.json}. A restarted node
 * comes back as the same node with the same tokens, whatever its address.
 *
 * <p>As in Cassandra, a node cannot change data center, rack or token count once it owns data:
 * replica placement depends on them, and the data on disk was placed by the old values.
 */
public record NodeIdentity(NodeId id, List<Long> tokens, String dc, String rack) {

    public static final String FILE_NAME = "node-identity.json";
    static final int FORMAT = 1;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public NodeIdentity {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(dc, "dc");
        Objects.requireNonNull(rack, "rack");
        tokens = List.copyOf(tokens);
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("a node identity needs at least one token");
        }
    }

    /** Thrown when the data directory belongs to a node whose topology the configuration contradicts. */
    public static final class IdentityMismatchException extends IllegalStateException {
        public IdentityMismatchException(String message) {
            super(message);
        }
    }

    /** The file's layout; {@code format} lets a later version read older files. */
    record Stored(
            @JsonProperty("format") int format,
            @JsonProperty("node_id") String nodeId,
            @JsonProperty("dc") String dc,
            @JsonProperty("rack") String rack,
            @JsonProperty("tokens") List<Long> tokens) {
    }

    /** {@code <dataDir>/system/node-identity.json}. */
    public static Path file(Path dataDir) {
        return dataDir.resolve("system").resolve(FILE_NAME);
    }

    /**
     * The identity stored in {@code dataDir}, or, at first start, a new one (random id, fresh
     * tokens from {@code allocator}) written there durably before it is returned.
     *
     * @throws IdentityMismatchException if the stored dc, rack or token count differ from the
     *         configured ones
     * @throws UncheckedIOException if the file cannot be read or written, or is corrupt (never
     *         silently replaced: a new identity would be a different node with different tokens)
     */
    public static NodeIdentity loadOrCreate(Path dataDir, String dc, String rack, int numTokens,
                                            TokenAllocator allocator) {
        Path file = file(dataDir);
        if (Files.exists(file)) {
            NodeIdentity stored = read(file);
            stored.checkMatches(file, dc, rack, numTokens);
            return stored;
        }
        // No collision check against the ring: it is not known before joining, and two nodes
        // drawing the same 64-bit token is far less likely than a disk failure.
        NodeIdentity fresh = new NodeIdentity(NodeId.random(), allocator.allocate(Set.of(), numTokens), dc, rack);
        write(file, fresh);
        return fresh;
    }

    private void checkMatches(Path file, String dc, String rack, int numTokens) {
        if (!this.dc.equals(dc) || !this.rack.equals(rack)) {
            throw new IdentityMismatchException("Cannot start node " + id + ": its data directory ("
                    + file.getParent().getParent() + ") belongs to data center '" + this.dc + "', rack '"
                    + this.rack + "', but the configuration says data center '" + dc + "', rack '" + rack
                    + "'. A node's data center and rack cannot change once it has joined the ring: set "
                    + "sibyl.cluster.dc/rack back, or decommission the node and start a new one with an "
                    + "empty data directory.");
        }
        if (tokens.size() != numTokens) {
            throw new IdentityMismatchException("Cannot start node " + id + ": it owns " + tokens.size()
                    + " tokens but sibyl.cluster.num_tokens is " + numTokens + ". The token count cannot "
                    + "change after the first start; set num_tokens back to " + tokens.size() + ".");
        }
    }

    static NodeIdentity read(Path file) {
        Stored s;
        try {
            s = JSON.readValue(file.toFile(), Stored.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the node identity in " + file + " (refusing to "
                    + "start rather than become a new node with new tokens): " + e.getMessage(), e);
        }
        if (s == null || s.format() != FORMAT || s.nodeId() == null || s.tokens() == null
                || s.tokens().isEmpty() || s.dc() == null || s.rack() == null) {
            throw new UncheckedIOException(new IOException("The node identity in " + file
                    + " is incomplete or of an unknown format; refusing to start rather than become a new node"));
        }
        return new NodeIdentity(NodeId.of(s.nodeId()), s.tokens(), s.dc(), s.rack());
    }

    /** Writes a temporary file, fsyncs it, renames it over the old one, and fsyncs the directory. */
    static void write(Path file, NodeIdentity identity) {
        Path dir = file.getParent();
        Path tmp = dir.resolve(FILE_NAME + ".tmp");
        try {
            Files.createDirectories(dir);
            byte[] bytes = JSON.writeValueAsBytes(new Stored(FORMAT, identity.id().value(), identity.dc(),
                    identity.rack(), identity.tokens()));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            fsyncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the node identity to " + file + ": " + e.getMessage(), e);
        }
    }

    // Makes the rename itself durable; some platforms cannot open a directory, which is harmless there.
    private static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // not supported on this platform
        }
    }
}
