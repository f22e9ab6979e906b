package io.sibyl.app.cql.transport;

import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.protocol.internal.response.Event;
import com.datastax.oss.protocol.internal.response.event.SchemaChangeEvent;
import com.datastax.oss.protocol.internal.response.event.StatusChangeEvent;
import com.datastax.oss.protocol.internal.response.event.TopologyChangeEvent;
import io.sibyl.actors.cluster.RingView;
import io.sibyl.actors.ring.NodeId;
import io.sibyl.actors.ring.NodeInfo;
import io.sibyl.actors.schema.KeyspaceMetadata;
import io.sibyl.actors.schema.Schema;
import io.sibyl.storage.schema.TableMetadata;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * The EVENTs connections REGISTER for: SCHEMA_CHANGE from each new schema (a diff of keyspaces and
 * tables against the previous one), TOPOLOGY_CHANGE and STATUS_CHANGE from each new ring view (nodes
 * added or removed, alive or not). Delivery is best effort, as in Cassandra: a connection's sink may
 * drop an event it has no room for (a slow or stalled client); drivers also refresh on their own.
 */
final class NativeEvents {

    private record Subscription(Set<String> types, Consumer<Event> sink) {}

    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Schema> lastSchema;
    private final AtomicReference<RingView> lastRing;
    private final ToIntFunction<NodeInfo> nativePortOf;

    NativeEvents(Schema schema, RingView ring, ToIntFunction<NodeInfo> nativePortOf) {
        this.lastSchema = new AtomicReference<>(schema);
        this.lastRing = new AtomicReference<>(ring);
        this.nativePortOf = nativePortOf;
    }

    /** Delivers events of {@code types} to {@code sink} until the returned action runs. */
    Runnable subscribe(Set<String> types, Consumer<Event> sink) {
        Subscription s = new Subscription(Set.copyOf(types), sink);
        subscriptions.add(s);
        return () -> subscriptions.remove(s);
    }

    int subscriberCount() {
        return subscriptions.size();
    }

    void onSchema(Schema next) {
        Schema previous = lastSchema.getAndSet(next);
        if (previous == null || previous.equals(next)) {
            return;
        }
        for (Event e : schemaChanges(previous, next)) {
            publish(e);
        }
    }

    void onRing(RingView next) {
        RingView previous = lastRing.getAndSet(next);
        if (previous == null) {
            return;
        }
        Map<NodeId, NodeInfo> before = byId(previous);
        Map<NodeId, NodeInfo> after = byId(next);
        for (NodeInfo n : after.values()) {
            if (n.id().equals(next.selfId())) continue;
            if (!before.containsKey(n.id())) {
                publish(new TopologyChangeEvent(ProtocolConstants.TopologyChangeType.NEW_NODE, address(n)));
            } else if (previous.isAlive(n.id()) != next.isAlive(n.id())) {
                publish(new StatusChangeEvent(next.isAlive(n.id()) ? ProtocolConstants.StatusChangeType.UP
                        : ProtocolConstants.StatusChangeType.DOWN, address(n)));
            }
        }
        for (NodeInfo n : before.values()) {
            if (!after.containsKey(n.id()) && !n.id().equals(next.selfId())) {
                publish(new TopologyChangeEvent(ProtocolConstants.TopologyChangeType.REMOVED_NODE, address(n)));
            }
        }
    }

    static List<Event> schemaChanges(Schema previous, Schema next) {
        List<Event> out = new ArrayList<>();
        for (KeyspaceMetadata ks : next.keyspaces().values()) {
            KeyspaceMetadata old = previous.keyspace(ks.name());
            if (old == null) {
                out.add(keyspaceEvent(ProtocolConstants.SchemaChangeType.CREATED, ks.name()));
                for (TableMetadata t : ks.tables().values()) {
                    out.add(tableEvent(ProtocolConstants.SchemaChangeType.CREATED, ks.name(), t.name()));
                }
                continue;
            }
            if (!old.replication().equals(ks.replication()) || old.durableWrites() != ks.durableWrites()) {
                out.add(keyspaceEvent(ProtocolConstants.SchemaChangeType.UPDATED, ks.name()));
            }
            for (TableMetadata t : ks.tables().values()) {
                TableMetadata before = old.table(t.name());
                if (before == null) {
                    out.add(tableEvent(ProtocolConstants.SchemaChangeType.CREATED, ks.name(), t.name()));
                } else if (!before.equals(t)) {
                    out.add(tableEvent(ProtocolConstants.SchemaChangeType.UPDATED, ks.name(), t.name()));
                }
            }
            for (TableMetadata t : old.tables().values()) {
                if (ks.table(t.name()) == null) {
                    out.add(tableEvent(ProtocolConstants.SchemaChangeType.DROPPED, ks.name(), t.name()));
                }
            }
        }
        for (KeyspaceMetadata old : previous.keyspaces().values()) {
            if (next.keyspace(old.name()) == null) {
                out.add(keyspaceEvent(ProtocolConstants.SchemaChangeType.DROPPED, old.name()));
            }
        }
        return out;
    }

    private void publish(Event e) {
        for (Subscription s : subscriptions) {
            if (s.types().contains(e.type)) {
                s.sink().accept(e);
            }
        }
    }

    private static Event keyspaceEvent(String change, String keyspace) {
        return new SchemaChangeEvent(change, ProtocolConstants.SchemaChangeTarget.KEYSPACE, keyspace, null, null);
    }

    private static Event tableEvent(String change, String keyspace, String table) {
        return new SchemaChangeEvent(change, ProtocolConstants.SchemaChangeTarget.TABLE, keyspace, table, null);
    }

    private InetSocketAddress address(NodeInfo n) {
        return new InetSocketAddress(n.host(), nativePortOf.applyAsInt(n));
    }

    private static Map<NodeId, NodeInfo> byId(RingView view) {
        Map<NodeId, NodeInfo> out = new java.util.HashMap<>();
        for (NodeInfo n : view.nodes()) {
            out.put(n.id(), n);
        }
        return out;
    }
}
