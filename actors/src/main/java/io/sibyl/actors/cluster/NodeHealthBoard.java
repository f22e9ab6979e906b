package io.sibyl.actors.cluster;

import io.sibyl.actors.ring.NodeId;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The latest {@link NodeHealth} of every node this node has heard from, readable from any thread.
 * The {@link NodeHealthKeeper} is its only writer; the {@code /v1/cluster} route and the schema
 * agreement wait read it.
 */
public final class NodeHealthBoard {

    private final AtomicReference<Map<NodeId, NodeHealth>> current = new AtomicReference<>(Map.of());
    private final CopyOnWriteArrayList<Consumer<Map<NodeId, NodeHealth>>> listeners = new CopyOnWriteArrayList<>();

    public Map<NodeId, NodeHealth> current() {
        return current.get();
    }

    /** Calls {@code listener} with every new board from now on (on the keeper's thread: keep it short). */
    public Runnable addListener(Consumer<Map<NodeId, NodeHealth>> listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    void publish(Map<NodeId, NodeHealth> board) {
        current.set(Map.copyOf(board));
        for (Consumer<Map<NodeId, NodeHealth>> l : listeners) {
            try {
                l.accept(board);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(NodeHealthBoard.class).warn("node health listener failed", e);
            }
        }
    }
}
