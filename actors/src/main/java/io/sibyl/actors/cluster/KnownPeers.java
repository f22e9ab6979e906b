package io.sibyl.actors.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster addresses ({@code host:port}) of the other nodes this node last saw in its ring, kept in
 * {@code <data_dir>/system/known-peers}, one per line. A restarted node reads them before its actor
 * system starts: it joins through them (and the configured seeds other than itself) and never forms a
 * cluster of its own first, so that a restarted first seed cannot split off a second cluster (docs/adr:
 * "restarted node rejoins, never self-joins").
 */
public final class KnownPeers {
    private static final Logger log = LoggerFactory.getLogger(KnownPeers.class);
    public static final String FILE_NAME = "known-peers";

    private KnownPeers() {
    }

    public static Path file(Path dataDir) {
        return dataDir.resolve("system").resolve(FILE_NAME);
    }

    /** The stored peers; empty when there is no file (a new node, or one that never saw another node). */
    public static List<ClusterSettings.HostPort> read(Path dataDir) {
        Path f = file(dataDir);
        if (!Files.exists(f)) {
            return List.of();
        }
        List<ClusterSettings.HostPort> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    out.add(ClusterSettings.HostPort.parse(line));
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // Only a hint for where to rejoin: the configured seeds still apply.
            log.warn("cannot read {} ({}); rejoining through the configured seeds only", f, e.toString());
            return List.of();
        }
        return List.copyOf(out);
    }

    /** The other nodes of {@code view} that still own (or are getting) tokens, as {@code host:port}, sorted. */
    static Set<String> of(RingView view) {
        Set<String> out = new TreeSet<>();
        for (NodeRecord r : view.records().values()) {
            if (r.info().id().equals(view.selfId()) || r.status() == NodeStatus.LEFT) {
                continue;
            }
            out.add(new ClusterSettings.HostPort(r.info().host(), r.info().clusterPort()).toString());
        }
        return out;
    }

    /** Stores {@code peers} (temp file, rename); a failure is logged, never thrown at the ring listener. */
    static void write(Path dataDir, Set<String> peers) {
        Path f = file(dataDir);
        Path tmp = f.resolveSibling(FILE_NAME + ".tmp");
        try {
            Files.createDirectories(f.getParent());
            Files.writeString(tmp, String.join("\n", peers) + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            log.warn("cannot write the known peers to {}: {}", f, e.toString(), new UncheckedIOException(e));
        }
    }

    /**
     * Keeps the file up to date with the views {@code holder} publishes; a view that knows no other node
     * (a fresh layer before it read the ring) never erases what an earlier one stored.
     */
    static void track(RingViewHolder holder, Path dataDir) {
        Set<String>[] last = new Set[] {new TreeSet<>(read(dataDir).stream().map(Object::toString).toList())};
        holder.addListener(view -> {
            Set<String> now = of(view);
            if (!now.isEmpty() && !now.equals(last[0])) {
                last[0] = now;
                write(dataDir, now);
            }
        });
    }
}
