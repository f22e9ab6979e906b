package io.sibyl.actors.mailbox;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;

/**
 * The per-kind mailbox counters of one actor system, filled by {@link MeasuredMailbox}. Every kind configured
 * under {@code sibyl.mailboxes} is listed, with zeros until an actor of the kind starts.
 */
public final class MailboxStats implements Extension {

    private static final Id ID = new Id();

    private final Map<String, KindCounters> byKind = new ConcurrentHashMap<>();
    private final List<String> configured;

    private MailboxStats(ActorSystem system) {
        var config = system.settings().config();
        // the kinds are the keys (a kind's name is its config key)
        this.configured = config.hasPath(MeasuredMailbox.CONFIG_PATH)
                ? config.getObject(MeasuredMailbox.CONFIG_PATH).keySet().stream().sorted().toList()
                : List.of();
    }

    public static MailboxStats get(ActorSystem system) {
        return ID.get(system);
    }

    public static MailboxStats get(org.apache.pekko.actor.typed.ActorSystem<?> system) {
        return ID.get(system.classicSystem());
    }

    KindCounters counters(String kind) {
        return byKind.computeIfAbsent(kind, KindCounters::new);
    }

    /** The kinds configured (whether or not an actor of them runs), by name. */
    public List<String> kinds() {
        return configured;
    }

    /** Every configured kind, and any other that has counted, by name. */
    public List<ActorKindStats> snapshot() {
        java.util.TreeMap<String, ActorKindStats> out = new java.util.TreeMap<>();
        for (String k : configured) {
            out.put(k, new ActorKindStats(k, 0, 0, 0, 0));
        }
        byKind.forEach((k, c) -> out.put(k, c.snapshot()));
        return List.copyOf(out.values());
    }

    /** The stats of {@code kind} (zeros if no actor of it has started). */
    public ActorKindStats of(String kind) {
        KindCounters c = byKind.get(kind);
        return c == null ? new ActorKindStats(kind, 0, 0, 0, 0) : c.snapshot();
    }

    private static final class Id extends AbstractExtensionId<MailboxStats> {
        @Override
        public MailboxStats createExtension(ExtendedActorSystem system) {
            return new MailboxStats(system);
        }
    }
}
