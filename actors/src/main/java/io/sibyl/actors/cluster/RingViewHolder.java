package io.sibyl.actors.cluster;

import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The current {@link RingView}, readable from any thread without asking an actor. The RingKeeper
 * is its only writer; request paths call {@link #current()} once per request and use that one
 * snapshot throughout, so a request never sees half of a change.
 */
public final class RingViewHolder {

    private final AtomicReference<RingView> current;
    private final CopyOnWriteArrayList<Consumer<RingView>> listeners = new CopyOnWriteArrayList<>();

    public RingViewHolder(RingView initial) {
        this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
    }

    public RingView current() {
        return current.get();
    }

    /**
     * Calls {@code listener} with every view published from now on, on the publisher's thread
     * (keep it short; hand heavy work to another executor), and once at once with the current view.
     *
     * @return call it to stop listening
     */
    public Runnable addListener(Consumer<RingView> listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        listener.accept(current.get());
        return () -> listeners.remove(listener);
    }

    /** Replaces the view (ignored if not newer) and tells the listeners. */
    void publish(RingView view) {
        RingView prev = current.getAndUpdate(old -> view.version() > old.version() ? view : old);
        if (view.version() <= prev.version()) {
            return;
        }
        for (Consumer<RingView> l : listeners) {
            try {
                l.accept(view);
            } catch (RuntimeException e) {
                // A broken listener must not stop the others or the keeper.
                org.slf4j.LoggerFactory.getLogger(RingViewHolder.class).warn("ring view listener failed", e);
            }
        }
    }
}
