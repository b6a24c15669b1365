package ai.continuum.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** One run of the CLI entry point with standard output and error captured. */
record CliRun(int code, String out, String err) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Runs {@link ContinuumCli#run} on this thread; the process streams are restored afterwards. */
    static CliRun of(final String... args) {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
        try {
            final int code = ContinuumCli.run(args);
            return new CliRun(code, outBytes.toString(StandardCharsets.UTF_8),
                errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    JsonNode json() {
        try {
            return JSON.readTree(out);
        } catch (final IOException e) {
            throw new UncheckedIOException("not JSON (exit " + code + "): " + out + err, e);
        }
    }

    @Override
    public String toString() {
        return "exit " + code + "\n" + out + err;
    }
}
