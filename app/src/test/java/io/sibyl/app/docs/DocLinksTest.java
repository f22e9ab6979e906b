package io.sibyl.app.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every documentation reference in the repository resolves to a file of the repository: relative
 * markdown links in README.md and docs/, {@code docs/...} paths and ADR numbers named anywhere (markdown,
 * Java, config, scripts), and no citation of design notes that live outside the repository.
 */
class DocLinksTest {

    private static final Set<String> SKIPPED_DIRS = Set.of("target", ".git", "data", "node_modules");
    private static final Pattern MD_LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern DOCS_PATH = Pattern.compile("(?<![\\w/.])docs/[A-Za-z0-9_./-]*[A-Za-z0-9_/]");
    private static final Pattern ADR_NUMBER = Pattern.compile("\\bADR (\\d{3})\\b");
    private static final Pattern ADR_PATH = Pattern.compile("^docs/adr/(\\d{3})$");
    /**
     * Notes that were never part of the repository; the project's own text is in docs/. (Test data read from
     * outside, like the Murmur3 vectors, is not a citation.) Built so this file does not match itself.
     */
    private static final Pattern OUTSIDE_NOTES = Pattern.compile(
            "(?<![\\w/])(" + "DESIGN" + "\\.md|" + "API" + "\\.md|" + "PEKKO" + "-NOTES|" + "BENCHMARKS" + "\\.md)|\\.\\./shared/[\\w-]+\\.md");

    private static final Path ROOT = findRoot();

    @Test
    void markdownLinksResolve() {
        List<String> broken = new ArrayList<>();
        for (Path md : markdownFiles()) {
            String text = read(md);
            Matcher m = MD_LINK.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") || target.startsWith("#")) {
                    continue; // http:, https:, mailto:, in-page anchors
                }
                String file = target.replaceFirst("#.*$", "");
                if (!Files.exists(md.getParent().resolve(file).normalize())) {
                    broken.add(where(md, text, m.start()) + " links to " + target);
                }
            }
        }
        assertNone("markdown links to missing files", broken);
    }

    @Test
    void docsPathsAndAdrNumbersResolve() {
        List<String> broken = new ArrayList<>();
        for (Path f : sourceAndDocFiles()) {
            if (f.getFileName().toString().equals("DocLinksTest.java")) {
                continue;
            }
            String text = read(f);
            Matcher m = DOCS_PATH.matcher(text);
            while (m.find()) {
                String path = m.group();
                Matcher adr = ADR_PATH.matcher(path);
                boolean ok = adr.matches() ? adrExists(adr.group(1)) : Files.exists(ROOT.resolve(path));
                if (!ok) {
                    broken.add(where(f, text, m.start()) + " names " + path);
                }
            }
            Matcher a = ADR_NUMBER.matcher(text);
            while (a.find()) {
                if (!adrExists(a.group(1))) {
                    broken.add(where(f, text, a.start()) + " names ADR " + a.group(1));
                }
            }
        }
        assertNone("references to docs that do not exist", broken);
    }

    @Test
    void nothingCitesNotesOutsideTheRepository() {
        List<String> found = new ArrayList<>();
        for (Path f : sourceAndDocFiles()) {
            if (f.getFileName().toString().equals("DocLinksTest.java")) {
                continue;
            }
            String text = read(f);
            Matcher m = OUTSIDE_NOTES.matcher(text);
            while (m.find()) {
                found.add(where(f, text, m.start()) + " cites " + m.group());
            }
        }
        assertNone("citations of notes outside the repository (cite docs/ instead)", found);
    }

    @Test
    void theScanSeesTheDocs() {
        // Guards against a vacuous pass, e.g. the root not found and nothing scanned.
        assertTrue(markdownFiles().contains(ROOT.resolve("README.md")), "README.md scanned");
        assertTrue(markdownFiles().contains(ROOT.resolve("docs/api.md")), "docs/api.md scanned");
        assertTrue(sourceAndDocFiles().stream().anyMatch(p -> p.toString().endsWith(".java")), "Java files scanned");
    }

    private static boolean adrExists(String number) {
        try (Stream<Path> adrs = Files.list(ROOT.resolve("docs/adr"))) {
            return adrs.anyMatch(p -> p.getFileName().toString().startsWith(number + "-")
                    && p.getFileName().toString().endsWith(".md"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> markdownFiles() {
        List<Path> files = new ArrayList<>();
        files.add(ROOT.resolve("README.md"));
        files.addAll(walk(ROOT.resolve("docs"), Set.of(".md")));
        return files;
    }

    private static List<Path> sourceAndDocFiles() {
        return walk(ROOT, Set.of(".md", ".java", ".conf", ".sh"));
    }

    private static List<Path> walk(Path dir, Set<String> suffixes) {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(Files::isRegularFile)
                    .filter(p -> ROOT.relativize(p).toString().isEmpty()
                            || Stream.of(ROOT.relativize(p).toString().split("[/\\\\]")).noneMatch(SKIPPED_DIRS::contains))
                    .filter(p -> suffixes.stream().anyMatch(sfx -> p.getFileName().toString().endsWith(sfx)))
                    .forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + f, e);
        }
    }

    private static String where(Path f, String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return ROOT.relativize(f) + ":" + line;
    }

    private static void assertNone(String what, List<String> problems) {
        if (!problems.isEmpty()) {
            fail(problems.size() + " " + what + ":\n  " + String.join("\n  ", problems));
        }
    }

    /** The repository root: the nearest directory upwards holding README.md and docs/ (tests run in app/). */
    private static Path findRoot() {
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("docs"))) {
                return p;
            }
        }
        throw new IllegalStateException("no README.md with docs/ above " + Paths.get("").toAbsolutePath());
    }
}
