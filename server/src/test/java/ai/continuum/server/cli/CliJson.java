package ai.continuum.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The standard output of a {@code --json} run, parsed. */
final class CliJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CliJson() {}

    static JsonNode of(final CliRun run) {
        try {
            return JSON.readTree(run.out());
        } catch (final IOException e) {
            throw new UncheckedIOException("not JSON: " + run.all(), e);
        }
    }
}
