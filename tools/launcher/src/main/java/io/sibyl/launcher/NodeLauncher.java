package io.sibyl.launcher;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a node JVM ({@code io.sibyl.app.Main start} on this JVM's class path) and its launch with
 * stdout and stderr appended to a log file. {@code sibyl local-cluster} and {@code sibyl verify} start their nodes
 * this one way.
 */
public final class NodeLauncher {
    /**
     * JVM flags every node needs: the durable ring store (Pekko Distributed Data on LMDB) reads direct buffers'
     * addresses from java.nio internals. The same list as {@code ClusterSettings.JVM_FLAGS} (a test in app
     * keeps them equal; this module knows no Sibyl class).
     */
    public static final List<String> REQUIRED_JVM_FLAGS = List.of(
            "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");

    public static final String MAIN_CLASS = "io.sibyl.app.Main";

    private NodeLauncher() {
    }

    /** {@code java <jvmOptions> <REQUIRED_JVM_FLAGS> -cp <class path> io.sibyl.app.Main start <startArgs>}. */
    public static List<String> startCommand(List<String> jvmOptions, List<String> startArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        for (String opt : jvmOptions) {
            if (!opt.isBlank()) {
                cmd.add(opt.trim());
            }
        }
        cmd.addAll(REQUIRED_JVM_FLAGS);
        String logback = System.getProperty("sibyl.logback");
        if (logback != null) {
            cmd.add("-Dlogback.configurationFile=" + logback);
        }
        cmd.add("-cp");
        cmd.add(absoluteClassPath());
        cmd.add(MAIN_CLASS);
        cmd.add("start");
        cmd.addAll(startArgs);
        return cmd;
    }

    /** The {@code java} binary of this JVM. */
    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** This JVM's class path with absolute entries, so a node does not depend on the working directory. */
    public static String absoluteClassPath() {
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!e.isEmpty()) {
                entries.add(Path.of(e).toAbsolutePath().normalize().toString());
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /** Starts {@code command} with stdout and stderr appended to {@code log} (its directory is created). */
    public static Process launch(List<String> command, Path log) throws IOException {
        Path parent = log.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }
}
