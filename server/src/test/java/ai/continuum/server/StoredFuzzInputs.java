package ai.continuum.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The inputs Jazzer keeps for a fuzz target ({@code <Class>Inputs/<method>/} beside the class on the test classpath),
 * for a plain JUnit test that replays them through the same target. Jazzer's own regression run installs its agent,
 * which instruments every class the JVM loads and takes about half a minute; the replay takes milliseconds, so the
 * inner loop replays the stored inputs this way and leaves Jazzer to {@code verify} and {@code .ci/fuzz.sh}.
 */
public final class StoredFuzzInputs {
    private StoredFuzzInputs() {}

    /** One argument pair per stored input: its file name (for the test's display name) and its bytes. */
    public static Stream<Arguments> of(final Class<?> fuzzTest, final String method) {
        final String folder = fuzzTest.getSimpleName() + "Inputs/" + method;
        final URL url = fuzzTest.getResource(folder);
        if (url == null) {
            throw new IllegalStateException("no stored inputs for " + fuzzTest.getName() + "." + method);
        }
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            final List<Path> inputs =
                    files.filter(Files::isRegularFile).sorted().toList();
            if (inputs.isEmpty()) {
                throw new IllegalStateException(folder + " holds no inputs");
            }
            return inputs.stream().map(p -> Arguments.of(p.getFileName().toString(), read(p)));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } catch (final URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] read(final Path input) {
        try {
            return Files.readAllBytes(input);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
