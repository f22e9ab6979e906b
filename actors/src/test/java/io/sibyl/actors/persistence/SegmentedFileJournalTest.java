package io.sibyl.actors.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal under a real EventSourcedBehavior: events persist, and a new ActorSystem recovers them. */
class SegmentedFileJournalTest {

    @TempDir
    Path dir;

    sealed interface Cmd {
    }

    record Add(String value, ActorRef<List<String>> replyTo) implements Cmd {
    }

    record Get(ActorRef<List<String>> replyTo) implements Cmd {
    }

    /** A list of strings; String events use Pekko's built-in serializer. */
    static final class Lines extends EventSourcedBehavior<Cmd, String, List<String>> {
        Lines(String id) {
            super(PersistenceId.ofUniqueId(id));
        }

        static Behavior<Cmd> create(String id) {
            return new Lines(id);
        }

        @Override
        public List<String> emptyState() {
            return new ArrayList<>();
        }

        @Override
        public String journalPluginId() {
            return "test.journal";
        }

        @Override
        public CommandHandler<Cmd, String, List<String>> commandHandler() {
            return newCommandHandlerBuilder().forAnyState()
                    .onCommand(Add.class, (s, c) -> Effect().persist(c.value()).thenRun(ns -> c.replyTo().tell(List.copyOf(ns))))
                    .onCommand(Get.class, (s, c) -> Effect().none().thenRun(ns -> c.replyTo().tell(List.copyOf(ns))))
                    .build();
        }

        @Override
        public EventHandler<List<String>, String> eventHandler() {
            return newEventHandlerBuilder().forAnyState().onAnyEvent((s, e) -> {
                s.add(e);
                return s;
            });
        }
    }

    private Config config() {
        return ConfigFactory.parseString("""
                test.journal {
                  class = "io.sibyl.actors.persistence.SegmentedFileJournal"
                  dir = "%s"
                  segment-size = 100
                  fsync = on
                }
                """.formatted(dir.resolve("journal").toString().replace("\\", "/"))).withFallback(ConfigFactory.load());
    }

    private List<String> add(ActorTestKit kit, ActorRef<Cmd> ref, String value) {
        TestProbe<List<String>> probe = kit.createTestProbe();
        ref.tell(new Add(value, probe.getRef()));
        return probe.receiveMessage();
    }

    private List<String> get(ActorTestKit kit, ActorRef<Cmd> ref) {
        TestProbe<List<String>> probe = kit.createTestProbe();
        ref.tell(new Get(probe.getRef()));
        return probe.receiveMessage();
    }

    @Test
    void eventsSurviveANewActorSystem() {
        ActorTestKit first = ActorTestKit.create("journal-1", config());
        try {
            ActorRef<Cmd> a = first.spawn(Lines.create("a"));
            ActorRef<Cmd> b = first.spawn(Lines.create("b/with slash"));
            for (int i = 0; i < 20; i++) {
                add(first, a, "a" + i);
            }
            assertEquals(List.of("x"), add(first, b, "x"));
        } finally {
            first.shutdownTestKit();
        }
        assertEquals(List.of("a", "b/with slash"), SegmentedFileJournal.persistenceIds(dir.resolve("journal")));

        ActorTestKit second = ActorTestKit.create("journal-2", config());
        try {
            ActorRef<Cmd> a = second.spawn(Lines.create("a"));
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                expected.add("a" + i);
            }
            assertEquals(expected, get(second, a));
            expected.add("more");
            assertEquals(expected, add(second, a, "more"));
            assertEquals(List.of("x"), get(second, second.spawn(Lines.create("b/with slash"))));
        } finally {
            second.shutdownTestKit();
        }
    }
}
