package io.sibyl.actors.persistence;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.pekko.persistence.japi.journal.JavaJournalSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalatest.Args;
import org.scalatest.Reporter;
import org.scalatest.Status;
import org.scalatest.events.Event;
import org.scalatest.events.TestFailed;
import org.scalatest.events.TestSucceeded;
import scala.Option;

/**
 * Pekko's journal compatibility kit (pekko-persistence-tck, {@code JavaJournalSpec}: writes, replays
 * with bounds and limits, deletes, highest sequence numbers, rejection of unserializable events)
 * against {@link SegmentedFileJournal}. The kit is a ScalaTest suite; this runs it and fails on any
 * failed case.
 */
class SegmentedFileJournalTckTest {

    @TempDir
    Path dir;

    @Test
    void passesPekkosJournalSpec() {
        Config config = ConfigFactory.parseString("""
                pekko.persistence.journal.plugin = "sibyl.hints.journal"
                sibyl.hints.journal.dir = "%s"
                sibyl.hints.journal.fsync = off
                pekko.loglevel = WARNING
                """.formatted(dir.toString().replace("\\", "/")));
        JavaJournalSpec spec = new JavaJournalSpec(config) {
        };
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        List<String> passed = Collections.synchronizedList(new ArrayList<>());
        Reporter reporter = (Event e) -> {
            if (e instanceof TestFailed f) {
                failures.add(f.testName() + ": " + f.message()
                        + (f.throwable().isDefined() ? " (" + f.throwable().get() + ")" : ""));
            } else if (e instanceof TestSucceeded s) {
                passed.add(s.testName());
            }
        };
        Args args = new Args(reporter, Args.apply$default$2(), Args.apply$default$3(), Args.apply$default$4(),
                Args.apply$default$5(), Args.apply$default$6(), Args.apply$default$7(), Args.apply$default$8(),
                Args.apply$default$9(), Args.apply$default$10());
        Status status = spec.run(Option.empty(), args);
        status.waitUntilCompleted();
        assertTrue(failures.isEmpty(), "journal TCK failures: " + failures);
        assertTrue(passed.size() >= 15, "only " + passed.size() + " TCK cases ran: " + passed);
    }
}
