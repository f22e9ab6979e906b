package io.sibyl.app;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceRule;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.Scheduler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of README's "Where things are", checked on the compiled main classes of every module
 * (app's test class path holds storage, actors, tools/stress, tools/verify and app): app -> actors -> storage.
 *
 * <p>Storage may use Pekko Streams (a {@code Materializer}, {@code Source}/{@code Sink}, {@code Done},
 * {@code japi.Pair}) and, of {@code org.apache.pekko.actor}, only the runtime those run on
 * ({@link #STREAMS_RUNTIME}); no actor API (classic or typed), no cluster, persistence, remoting or HTTP.
 */
class ArchitectureTest {

    /**
     * What storage may touch in {@code org.apache.pekko.actor}: the ActorSystem behind its Materializer (for
     * dispatchers and the scheduler), the Scheduler and the Cancellable it returns. Actor references, Props,
     * classic actors and everything typed stay out.
     */
    private static final DescribedPredicate<JavaClass> STREAMS_RUNTIME = equivalentTo(ActorSystem.class)
            .or(equivalentTo(Scheduler.class)).or(equivalentTo(Cancellable.class))
            .as("the ActorSystem, Scheduler or Cancellable of Pekko Streams' runtime");

    /**
     * Package cycles that existed when this test was written, each as the one edge (origin package, target
     * package) whose removal breaks it. Any other cycle fails the test; when one of these is fixed, drop its
     * line here so that it stays fixed.
     */
    private static final String[][] KNOWN_CYCLE_EDGES = {
            // ReplicaActors.spawn points the inter-node serializer's SchemaLookup (messaging) at the schema;
            // messaging uses ReplicaActor's protocol.
            {"io.sibyl.actors.replica..", "io.sibyl.actors.messaging.."},
            // JsonRows (INSERT JSON) reads with the node's mapper io.sibyl.app.http.Json; http calls the executors.
            {"io.sibyl.app.cql..", "io.sibyl.app.http.."},
            // A Compaction works on an engine.TableStore; the engine holds compaction strategies and stats.
            {"io.sibyl.storage.compaction..", "io.sibyl.storage.engine.."},
            // TableMetadata builds its data.ClusteringComparator; data's rows and updates name their TableMetadata.
            {"io.sibyl.storage.schema..", "io.sibyl.storage.data.."},
    };

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // after `package`, Maven resolves storage's test fixtures as sibyl-storage-*-tests.jar, not test-classes
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("io.sibyl");
    }

    @Test
    void theImportSeesEveryModule() {
        // A rule over no classes passes: make sure each module's classes were found.
        for (String pkg : new String[] {"io.sibyl.storage", "io.sibyl.actors", "io.sibyl.app", "io.sibyl.stress", "io.sibyl.verify", "io.sibyl.launcher"}) {
            org.junit.jupiter.api.Assertions.assertTrue(classes.stream().anyMatch(c -> c.getPackageName().startsWith(pkg)),
                    "no class of " + pkg + " on the test class path");
        }
    }

    @Test
    void storageKnowsNoActorsClusterOrHttp() {
        ArchRule rule = noClasses().that().resideInAPackage("io.sibyl.storage..")
                .should().dependOnClassesThat(resideInAnyPackage(
                        "io.sibyl.actors..", "io.sibyl.app..", "io.sibyl.stress..",
                        "org.apache.pekko.actor.typed..", "org.apache.pekko.cluster..",
                        "org.apache.pekko.persistence..", "org.apache.pekko.http..", "org.apache.pekko.remote..",
                        "com.sun.net.httpserver..", "java.net.http..")
                        .or(resideInAPackage("org.apache.pekko.actor..").and(not(STREAMS_RUNTIME))))
                .because("storage is the single-node engine: actors, cluster and the network sit above it");
        rule.check(classes);
    }

    @Test
    void actorsKnowNoHttpOrApp() {
        ArchRule rule = noClasses().that().resideInAPackage("io.sibyl.actors..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.sibyl.app..", "io.sibyl.stress..", "org.apache.pekko.http..")
                .because("actors know nothing of HTTP: routes and the CLI are app's");
        rule.check(classes);
    }

    @Test
    void stressToolUsesNoSibylClass() {
        ArchRule rule = noClasses().that().resideInAPackage("io.sibyl.stress..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.sibyl.storage..", "io.sibyl.actors..", "io.sibyl.app..")
                .because("sibyl stress is a client (HTTP, or CQL through the Java driver) that can load any build of a node");
        rule.check(classes);
    }

    @Test
    void verifyToolUsesNoSibylClass() {
        ArchRule rule = noClasses().that().resideInAPackage("io.sibyl.verify..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.sibyl.storage..", "io.sibyl.actors..", "io.sibyl.app..", "io.sibyl.stress..")
                .because("sibyl verify talks to nodes over HTTP and starts them as processes, so it can check any build");
        rule.check(classes);
    }

    @Test
    void nodeLauncherUsesNoSibylClass() {
        ArchRule rule = noClasses().that().resideInAPackage("io.sibyl.launcher..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.sibyl.storage..", "io.sibyl.actors..", "io.sibyl.app..", "io.sibyl.stress..", "io.sibyl.verify..")
                .because("local-cluster, start and verify share it; verify must stay free of node classes (ADR node-launcher)");
        rule.check(classes);
    }

    @Test
    void packagesHaveNoCycles() {
        SliceRule rule = slices().matching("io.sibyl.(*).(*)..").should().beFreeOfCycles();
        for (String[] edge : KNOWN_CYCLE_EDGES) {
            rule = rule.ignoreDependency(resideInAPackage(edge[0]), resideInAPackage(edge[1]));
        }
        rule.check(classes);
    }
}
