package io.sibyl.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LocalClusterCommandTest {

    private static LocalClusterCommand parse(String... args) {
        LocalClusterCommand cmd = new LocalClusterCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd;
    }

    @Test
    void defaultsGiveThreeNodesInOneDcOnConsecutivePorts() {
        List<LocalClusterCommand.NodePlan> plans = parse().plan();
        assertEquals(3, plans.size());
        for (int i = 0; i < 3; i++) {
            LocalClusterCommand.NodePlan p = plans.get(i);
            assertEquals("node" + i, p.name());
            assertEquals(8080 + i, p.httpPort());
            assertEquals(7000 + i, p.clusterPort());
            assertEquals("dc1", p.dc());
            assertEquals("rack" + (i + 1), p.rack());
            assertEquals(Path.of("data", "node" + i).toAbsolutePath().normalize(), p.dir());
            assertEquals(p.dir().resolve("sibyl.pid"), p.pidFile());
            assertEquals(p.dir().resolve("node.log"), p.log());
        }
    }

    @Test
    void nodesAreSpreadRoundRobinOverDataCentersAndRacks() {
        List<LocalClusterCommand.NodePlan> plans = parse("--nodes", "6", "--dcs", "2", "--racks-per-dc", "2").plan();
        assertEquals(List.of("dc1", "dc2", "dc1", "dc2", "dc1", "dc2"), plans.stream().map(p -> p.dc()).toList());
        assertEquals(List.of("rack1", "rack1", "rack2", "rack2", "rack1", "rack1"),
                plans.stream().map(p -> p.rack()).toList());
    }

    @Test
    void theChildCommandRunsMainStartWithThisJvmAndClassPath() {
        LocalClusterCommand cmd = parse("--nodes", "4", "--base-http-port", "9000", "--base-cluster-port", "7100",
                "--data-dir", "/tmp/lc", "--jvm-opts", "-Xmx300m");
        List<String> c = cmd.command(cmd.plan().get(2));
        assertTrue(c.get(0).startsWith(System.getProperty("java.home")), c.get(0));
        assertTrue(c.contains("-Xmx300m"));
        assertTrue(c.contains("--add-opens=java.base/java.nio=ALL-UNNAMED"), c.toString());
        int cp = c.indexOf("-cp");
        assertEquals(io.sibyl.launcher.NodeLauncher.absoluteClassPath(), c.get(cp + 1));
        assertTrue(c.get(cp + 1).contains("classes"), c.get(cp + 1));
        assertEquals(List.of("io.sibyl.app.Main", "start",
                "--http-port", "9002", "--cluster-port", "7102",
                "--seeds", "127.0.0.1:7100,127.0.0.1:7101",
                "--dc", "dc1", "--rack", "rack3",
                "--data-dir", Path.of("/tmp/lc/node2").toString(),
                "--node-name", "node2", "--cql-port", "9044"), c.subList(cp + 2, c.size()));
    }

    /** The restart script runs exactly the node's command: parsed back by a shell, it gives the same arguments. */
    @Test
    void eachNodesStartScriptRunsItsOwnCommandAgain(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        LocalClusterCommand cmd = parse("--nodes", "3", "--data-dir", dir.resolve("it's data").toString());
        LocalClusterCommand.NodePlan p = cmd.plan().get(1);
        String script = cmd.restartScript(p);
        assertEquals(p.dir().resolve("start.sh"), p.restartScript());
        String nohup = script.lines().filter(l -> l.startsWith("nohup ")).findFirst().orElseThrow();
        // let sh split the quoted words back into arguments and print one per line
        String words = nohup.substring("nohup ".length(), nohup.lastIndexOf(" >> "));
        Process sh = new ProcessBuilder("sh", "-c", "for a in " + words + "; do printf '%s\\n' \"$a\"; done").start();
        List<String> parsed = new String(sh.getInputStream().readAllBytes()).lines().toList();
        assertEquals(0, sh.waitFor());
        assertEquals(cmd.command(p), parsed);
        assertTrue(nohup.endsWith("2>&1 &"), nohup);
        assertTrue(nohup.contains(p.log().toString().replace("'", "'\\''")), nohup);
    }

    @Test
    void aSingleNodeSeedsItself() {
        assertEquals("127.0.0.1:7000", parse("--nodes", "1").seeds());
    }

    @Test
    void withTlsEveryNodeGetsItsOwnCertificateAndAllThreeListenersUseTls() {
        LocalClusterCommand cmd = parse("--nodes", "2", "--data-dir", "/tmp/lc", "--tls");
        List<String> c = cmd.command(cmd.plan().get(1));
        Path certs = Path.of("/tmp/lc/certs");
        assertTrue(c.contains("-Dsibyl.tls.cert_file=" + certs.resolve("node2.pem")), c.toString());
        assertTrue(c.contains("-Dsibyl.tls.key_file=" + certs.resolve("node2-key.pem")), c.toString());
        assertTrue(c.contains("-Dsibyl.tls.ca_file=" + certs.resolve("ca.pem")), c.toString());
        for (String on : List.of("-Dsibyl.http.tls.enabled=on", "-Dsibyl.cql.tls.enabled=on", "-Dsibyl.cluster.tls.enabled=on")) {
            assertTrue(c.contains(on), on + " in " + c);
        }
        // JVM properties come before the main class
        assertTrue(c.indexOf("-Dsibyl.cluster.tls.enabled=on") < c.indexOf("io.sibyl.app.Main"));
        List<String> plain = parse("--nodes", "2").command(parse("--nodes", "2").plan().get(1));
        assertTrue(plain.stream().noneMatch(a -> a.startsWith("-Dsibyl.tls") || a.contains("tls.enabled")), plain.toString());
    }

    @Test
    void theLauncherStartsNodesWithTheFlagsTheRingStoreNeeds() {
        assertEquals(io.sibyl.actors.cluster.ClusterSettings.JVM_FLAGS, io.sibyl.launcher.NodeLauncher.REQUIRED_JVM_FLAGS);
    }
}
