package io.sibyl.actors.mailbox;

import com.typesafe.config.Config;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.typed.MailboxSelector;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.dispatch.Envelope;
import org.apache.pekko.dispatch.MailboxType;
import org.apache.pekko.dispatch.MessageQueue;
import org.apache.pekko.dispatch.ProducesMessageQueue;
import org.apache.pekko.dispatch.UnboundedMessageQueueSemantics;
import scala.Option;

/**
 * An unbounded mailbox (Pekko's default kind: a {@link ConcurrentLinkedQueue}) that counts the messages
 * enqueued and dequeued into the counters of its actor kind, so {@code tpstats} can show per kind what
 * nodetool shows per pool: pending (mailbox size), completed. Pekko typed has no public mailbox-size API.
 *
 * <p>One mailbox config per kind under {@code sibyl.mailboxes} (see reference.conf); an actor gets it
 * with {@link #props(String)}. The hot path costs one {@link java.util.concurrent.atomic.LongAdder}
 * increment per enqueue and per dequeue.
 */
public final class MeasuredMailbox implements MailboxType, ProducesMessageQueue<MeasuredMailbox.MeasuredQueue> {

    /** Where the per-kind mailbox configs live. */
    public static final String CONFIG_PATH = "sibyl.mailboxes";

    private final String kind;

    /** Called by Pekko (reflectively) with the mailbox's config section. */
    public MeasuredMailbox(ActorSystem.Settings settings, Config config) {
        this.kind = kindOf(config);
    }

    /** The kind is the mailbox's config key: Pekko passes the mailbox id (its config path) as "id". */
    static String kindOf(Config config) {
        String id = config.hasPath("id") ? config.getString("id") : "unknown";
        return id.substring(id.lastIndexOf('.') + 1);
    }

    /** Props selecting the measured mailbox of {@code kind} ({@code sibyl.mailboxes.<kind>} must exist). */
    public static Props props(String kind) {
        return MailboxSelector.fromConfig(CONFIG_PATH + "." + kind);
    }

    public String kind() {
        return kind;
    }

    @Override
    public MessageQueue create(Option<ActorRef> owner, Option<ActorSystem> system) {
        KindCounters counters = system.isDefined() ? MailboxStats.get(system.get()).counters(kind) : new KindCounters(kind);
        counters.actorStarted();
        return new MeasuredQueue(counters);
    }

    /** The queue of one actor; its counters are shared by every actor of the kind. */
    public static final class MeasuredQueue implements MessageQueue, UnboundedMessageQueueSemantics {
        private final Queue<Envelope> queue = new ConcurrentLinkedQueue<>();
        private final KindCounters counters;

        MeasuredQueue(KindCounters counters) {
            this.counters = counters;
        }

        @Override
        public void enqueue(ActorRef receiver, Envelope handle) {
            queue.add(handle);
            counters.enqueued();
        }

        @Override
        public Envelope dequeue() {
            Envelope e = queue.poll();
            if (e != null) {
                counters.dequeued();
            }
            return e;
        }

        @Override
        public int numberOfMessages() {
            return queue.size();
        }

        @Override
        public boolean hasMessages() {
            return !queue.isEmpty();
        }

        /** The actor has stopped: what is left goes to dead letters and counts as dropped, not completed. */
        @Override
        public void cleanUp(ActorRef owner, MessageQueue deadLetters) {
            Envelope e = queue.poll();
            while (e != null) {
                counters.dropped();
                deadLetters.enqueue(owner, e);
                e = queue.poll();
            }
            counters.actorStopped();
        }
    }
}
