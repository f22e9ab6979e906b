package io.sibyl.app.cql.transport;

import io.sibyl.actors.cluster.RingView;
import io.sibyl.actors.cluster.RingViewHolder;
import io.sibyl.actors.schema.Schema;
import io.sibyl.actors.schema.SchemaStore;
import io.sibyl.app.cql.QueryProcessor;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the native protocol server executes with: the query processor, schema and ring view of the
 * cluster layer serving now. The server belongs to the long-lived part of the node and keeps its port
 * and its connections when the cluster layer is replaced (a rejoin after a downing, ADR 018); the node
 * swaps the services here, as it swaps the HTTP API in {@code SwappableHandler}. A request takes the
 * services current when it starts. Schema and ring changes of the current services only are turned into
 * EVENTs: those of a replaced layer are ignored.
 */
public final class NativeBackend {

    /** One layer's services (or the detached ones while no layer serves). */
    record Services(QueryProcessor processor, SchemaStore schema, Supplier<RingView> ring) {
        Services {
            Objects.requireNonNull(processor, "processor");
            Objects.requireNonNull(schema, "schema");
            Objects.requireNonNull(ring, "ring");
        }
    }

    private volatile Services current;
    private volatile NativeEvents events;
    /** Stops the ring listener of the services attached before, if any. */
    private Runnable stopRingListener = () -> { };

    /** Serves with a cluster layer's processor, schema and live ring view. */
    public NativeBackend(QueryProcessor processor, SchemaStore schema, RingViewHolder ring) {
        attach(processor, schema, ring);
    }

    /** From now on requests go to this cluster layer's services, and its schema and ring changes become EVENTs. */
    public synchronized void attach(QueryProcessor processor, SchemaStore schema, RingViewHolder ring) {
        Services s = new Services(processor, schema, ring::current);
        swap(s);
        schema.addListener(next -> {
            NativeEvents e = events;
            if (current == s && e != null) e.onSchema(next);
        });
        stopRingListener = ring.addListener(next -> {
            NativeEvents e = events;
            if (current == s && e != null) e.onRing(next);
        });
    }

    /**
     * While no cluster layer serves: a processor that answers what the node can alone, the schema as it
     * was, and the last ring view the ended layer had (no events meanwhile).
     */
    public synchronized void detach(QueryProcessor processor, SchemaStore schema, RingView lastView) {
        swap(new Services(processor, schema, () -> lastView));
    }

    private void swap(Services s) {
        stopRingListener.run();
        stopRingListener = () -> { };
        current = s;
    }

    /** Where schema and ring changes go; the server sets it once. */
    void events(NativeEvents events) {
        this.events = events;
    }

    QueryProcessor processor() {
        return current.processor();
    }

    SchemaStore schemaStore() {
        return current.schema();
    }

    Schema schema() {
        return current.schema().current();
    }

    RingView ring() {
        return current.ring().get();
    }
}
