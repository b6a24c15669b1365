package ai.continuum.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The JVM flags the engine needs (Chronicle Map and Agrona module access, no telemetry), read from the resource
 * {@value #RESOURCE} that the build filters from the root POM's {@code continuum.jvm.flags}. The root POM is the only
 * place the flags are written down; benchmark forks receive them through {@link Bench}.
 */
public final class JvmFlags {
    public static final String RESOURCE = "/continuum-jvm.flags";

    private JvmFlags() {}

    /** The flags, one per element, in POM order. */
    public static List<String> load() {
        try (InputStream in = JvmFlags.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the benchmark jar");
            }
            final String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            if (text.contains("${")) {
                throw new IllegalStateException("resource " + RESOURCE + " was not filtered by the build: " + text);
            }
            return Arrays.stream(text.split("\\s+")).filter(s -> !s.isEmpty()).toList();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
