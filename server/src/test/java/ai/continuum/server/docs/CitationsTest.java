package ai.continuum.server.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every file the code and the documents cite is in the repository: a comment or a help text that sends a reader to
 * {@code docs/DESIGN.md} or {@code benchmarks/eval/README.md} must find it there, and nothing cites the design
 * documents the repository does not hold.
 */
class CitationsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** A repository path as the sources write it: a top-level directory, then a file with an extension. */
    private static final Pattern CITED = Pattern.compile(
            "(?<![\\w/.-])((?:docs|benchmarks|server|engine|eval|deploy|concurrency-tests)/[\\w./-]*\\w\\.(?:md|json|sh|yaml|yml|java|flags|properties))");
    /** Design documents that live outside the repository, which the sources must not send a reader to. */
    private static final Pattern OUTSIDE = Pattern.compile("\\b(?:SPEC|PLATFORM)\\.md\\b|/work/shared");

    private static final List<String> SCANNED = List.of(
            "README.md",
            "docs",
            "server/API.md",
            "server/src/main",
            "engine/src/main",
            "eval/src/main",
            "benchmarks/src",
            "benchmarks/RESULTS.md",
            "deploy",
            "concurrency-tests/src",
            ".ci/run",
            "continuum");

    @Test
    void everyCitedFileExists() {
        final TreeSet<String> missing = new TreeSet<>();
        final TreeSet<String> outside = new TreeSet<>();
        for (final Path file : files()) {
            final String text = read(file);
            final String where = ROOT.relativize(file).toString();
            final Matcher cited = CITED.matcher(text);
            while (cited.find()) {
                final String path = cited.group(1);
                if (!path.contains("...") && !path.contains("/target/") && !Files.exists(ROOT.resolve(path))) {
                    missing.add(where + " cites " + path);
                }
            }
            final Matcher foreign = OUTSIDE.matcher(text);
            while (foreign.find()) {
                outside.add(where + " cites " + foreign.group());
            }
        }
        assertTrue(missing.isEmpty(), "cited files that are not in the repository:\n  " + String.join("\n  ", missing));
        assertTrue(
                outside.isEmpty(), "citations of documents outside the repository:\n  " + String.join("\n  ", outside));
    }

    private static List<Path> files() {
        final List<Path> files = new ArrayList<>();
        for (final String entry : SCANNED) {
            final Path start = ROOT.resolve(entry);
            if (!Files.exists(start)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(start)) {
                walk.filter(Files::isRegularFile)
                        .filter(p -> !p.toString().contains("/node_modules/")
                                && !p.toString().contains("/target/"))
                        .filter(p -> p.toString().matches(".*\\.(java|md|sh|yaml|yml|xml|properties)$")
                                || p.getFileName().toString().equals("run")
                                || p.getFileName().toString().equals("continuum")
                                || p.getFileName().toString().equals("Dockerfile"))
                        .forEach(files::add);
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    private static String read(final Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
