package ai.continuum.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * kill -9 of a process in the middle of writing loses no acknowledged op and leaves an intact chain, on each backend.
 */
class CrashDurabilityIT {
    private static final int ACKS_BEFORE_KILL = 400;

    @OnEachBackend
    void shouldKeepEveryAcknowledgedOpWhenTheProcessIsKilled(final TestDatabase db) throws Exception {
        final String java =
                Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final Process child = new ProcessBuilder(List.of(
                        java,
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        CrashingWriter.class.getName(),
                        db.backend().name(),
                        db.location()))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        final Set<Long> acked = new HashSet<>();
        long maxSeq = 0;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acked.size() < ACKS_BEFORE_KILL && (line = out.readLine()) != null) {
                final String[] parts = line.split(" ", -1);
                acked.add(Long.parseLong(parts[1]));
                maxSeq = Math.max(maxSeq, Long.parseLong(parts[2]));
            }
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the writer process ends when killed");
        } finally {
            child.destroyForcibly();
        }
        assertEquals(ACKS_BEFORE_KILL, acked.size(), "the writer acknowledged enough ops before the kill");

        try (Storage reopened = db.open(StorageSettings.defaults())) {
            for (final long id : acked) {
                assertTrue(reopened.memory(CrashingWriter.TENANT, id).isPresent(), "acknowledged memory " + id);
            }
            final Storage.ContinuityCheck check = reopened.verifyContinuity(CrashingWriter.TENANT);
            assertTrue(check.intact(), () -> "chain broken: " + check);
            assertTrue(check.head().length() >= maxSeq, "the chain holds every acknowledged position");
        }
    }
}
