package io.sibyl.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code java ... -cp ...} prefix of every node JVM a test starts, with an AppCDS archive when one can be
 * made: the ITs start ~100 short-lived node JVMs, and each spends most of its start loading and verifying the
 * same ~10,000 classes (docs/testing.md has the figures). The first node start of a failsafe JVM records the
 * classes a node loads into a dynamic archive ({@code -XX:ArchiveClassesAtExit}, a node started alone and
 * stopped with SIGTERM); every node start then maps it ({@code -XX:SharedArchiveFile}).
 *
 * <p>CDS refuses class path directories, so the node class path is the test class path's jars only: the
 * test's own {@code test-classes} (nothing a node loads) is left out. If the application classes are a
 * directory (the ITs run before {@code package}, e.g. from an IDE), or recording fails, nodes start as before,
 * without an archive and with the full class path. {@code -Dsibyl.it.cds=false} turns the archive off.
 */
final class ClassDataSharing {
    /** Flags every node JVM gets, recorder included: CDS needs the same GC and class path at dump and use. */
    private static final List<String> JVM_FLAGS = java.util.stream.Stream.concat(
            java.util.stream.Stream.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
            // what every node JVM needs (the LMDB metadata store's opens), kept in one place
            io.sibyl.launcher.NodeLauncher.REQUIRED_JVM_FLAGS.stream()).toList();

    private static List<String> command;

    private ClassDataSharing() {
    }

    /** {@code java <flags> [-XX:SharedArchiveFile=...] [-Dlogback...] -cp <class path>}, computed once per test JVM. */
    static synchronized List<String> javaCommand() {
        if (command == null) command = List.copyOf(build());
        return command;
    }

    private static List<String> build() {
        String fullClassPath = System.getProperty("java.class.path");
        String jars = jarsOnly(fullClassPath);
        if (jars != null && Boolean.parseBoolean(System.getProperty("sibyl.it.cds", "true"))) {
            try {
                Path archive = record(jars);
                if (archive != null) {
                    List<String> cmd = base(List.of("-XX:SharedArchiveFile=" + archive));
                    cmd.addAll(List.of("-cp", jars));
                    return cmd;
                }
            } catch (Exception e) {
                System.err.println("[ClassDataSharing] no class archive for node JVMs, starting them without: " + e);
            }
        }
        List<String> cmd = base(List.of());
        cmd.addAll(List.of("-cp", fullClassPath));
        return cmd;
    }

    private static List<String> base(List<String> cds) {
        List<String> cmd = new ArrayList<>();
        cmd.add(io.sibyl.launcher.NodeLauncher.javaBinary());
        cmd.addAll(JVM_FLAGS);
        cmd.addAll(cds);
        String logback = System.getProperty("sibyl.logback");
        if (logback != null) cmd.add("-Dlogback.configurationFile=" + logback);
        return cmd;
    }

    /**
     * The jar entries of {@code classPath} (absolute), or null when a directory other than test classes holds
     * classes a node may need (CDS then cannot be used).
     */
    static String jarsOnly(String classPath) {
        List<String> jars = new ArrayList<>();
        for (String e : classPath.split(File.pathSeparator)) {
            if (e.isEmpty()) continue;
            Path p = Path.of(e).toAbsolutePath().normalize();
            if (Files.isRegularFile(p) && p.toString().endsWith(".jar")) {
                jars.add(p.toString());
            } else if (Files.isDirectory(p)) {
                if (p.getFileName().toString().equals("test-classes") || isEmptyDir(p)) continue;
                return null;
            }
            // a missing entry is skipped by the JVM anyway
        }
        return jars.isEmpty() ? null : String.join(File.pathSeparator, jars);
    }

    private static boolean isEmptyDir(Path dir) {
        try (var files = Files.walk(dir)) {
            return files.noneMatch(Files::isRegularFile);
        } catch (IOException e) {
            return false;
        }
    }

    /** Starts one node with {@code -XX:ArchiveClassesAtExit}, waits until it is ready, stops it: the archive. */
    private static Path record(String jars) throws Exception {
        Path dir = NodeProcess.workDir("class-data-archive");
        Path archive = dir.resolve("nodes.jsa");
        Path log = dir.resolve("recorder.log");
        int http = NodeProcess.freePort();
        List<String> cmd = base(List.of("-XX:ArchiveClassesAtExit=" + archive));
        cmd.addAll(List.of("-cp", jars, io.sibyl.launcher.NodeLauncher.MAIN_CLASS, "start",
                "--http-port", Integer.toString(http), "--data-dir", dir.resolve("recorder").toString(),
                "--node-name", "recorder", "--cluster-port", Integer.toString(NodeProcess.freePort()),
                "--cql-port", "0"));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .directory(new File(System.getProperty("user.dir"))).start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            boolean ready = false;
            while (!ready && System.nanoTime() < deadline && p.isAlive()) {
                try {
                    ready = SibylClient.of("http://127.0.0.1:" + http).get("/ready").status() == 200;
                } catch (IOException notYet) {
                    // not listening yet
                }
                if (!ready) Thread.sleep(100);
            }
            if (!ready) throw new IllegalStateException("the recorder node did not get ready; see " + log);
            p.destroy();   // SIGTERM: the JVM writes the archive as it exits
            // writing the archive takes 10-60 s of one core (the longer on a loaded machine)
            if (!p.waitFor(180, TimeUnit.SECONDS)) throw new IllegalStateException("the recorder node did not stop; see " + log);
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor();
            }
        }
        if (!Files.isRegularFile(archive) || Files.size(archive) == 0) {
            throw new IllegalStateException("no archive written; see " + log);
        }
        System.err.printf("[ClassDataSharing] node class archive %s (%d MB) recorded in %d ms%n", archive,
                Files.size(archive) >> 20, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        return archive;
    }
}
