package io.sibyl.verify.cluster;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The nodes in the ring now: the clients pick their coordinators from it, the nemesis picks its victims from it,
 * and the topology nemesis adds a node once it is NORMAL and removes one once it has left.
 */
public final class Members {
    private final CopyOnWriteArrayList<Node> nodes;

    public Members(List<Node> initial) {
        this.nodes = new CopyOnWriteArrayList<>(initial);
    }

    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    public List<String> urls() {
        return nodes.stream().map(Node::url).toList();
    }

    public int size() {
        return nodes.size();
    }

    public void add(Node n) {
        nodes.addIfAbsent(n);
    }

    public void remove(Node n) {
        nodes.remove(n);
    }
}
