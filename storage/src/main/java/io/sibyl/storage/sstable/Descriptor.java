package io.sibyl.storage.sstable;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names one SSTable generation in a table directory: files {@code sa-<generation>-<Component>}, written
 * first as {@code tmp-sa-<generation>-<Component>} and renamed when complete ("sa" is the format version).
 */
public record Descriptor(Path directory, int generation) {

    public static final String VERSION = "sa";
    public static final String TMP_PREFIX = "tmp-";
    private static final Pattern NAME = Pattern.compile("(tmp-)?" + VERSION + "-(\\d+)-(.+)");

    public Path path(Component c) {
        return directory.resolve(VERSION + "-" + generation + "-" + c.suffix());
    }

    public Path tmpPath(Component c) {
        return directory.resolve(TMP_PREFIX + VERSION + "-" + generation + "-" + c.suffix());
    }

    /** The parts of an SSTable file name, or null if the name is not one. */
    public record ParsedName(boolean temporary, int generation, Component component) {
    }

    public static ParsedName parse(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        if (!m.matches()) {
            return null;
        }
        Component c = Component.ofSuffix(m.group(3));
        return c == null ? null : new ParsedName(m.group(1) != null, Integer.parseInt(m.group(2)), c);
    }

    @Override
    public String toString() {
        return directory.resolve(VERSION + "-" + generation).toString();
    }
}
