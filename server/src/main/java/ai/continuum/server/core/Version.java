package ai.continuum.server.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The product version, set by the build: the jar manifest's {@code Implementation-Version} (the packaged jar, the
 * container image), else {@code continuum-version.properties}, which Maven filters with the project version (runs
 * from compiled classes: tests, IDEs). {@code dev} only when neither exists (classes compiled outside Maven).
 */
public final class Version {
    private static final String CURRENT = resolve();

    private Version() {}

    public static String current() {
        return CURRENT;
    }

    private static String resolve() {
        final String fromManifest = Version.class.getPackage().getImplementationVersion();
        if (fromManifest != null) {
            return fromManifest;
        }
        try (InputStream in = Version.class.getResourceAsStream("/continuum-version.properties")) {
            if (in == null) {
                return "dev";
            }
            final Properties p = new Properties();
            p.load(in);
            final String v = p.getProperty("version", "");
            return v.isBlank() || v.startsWith("${") ? "dev" : v;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read continuum-version.properties", e);
        }
    }
}
