package ai.continuum.server.e2e;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.engine.Delta;
import ai.continuum.server.storage.SqliteStorage;
import ai.continuum.server.storage.Storage;
import ai.continuum.server.storage.StorageOp;
import ai.continuum.server.storage.StorageSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server whose start-up load fails, even with an Error such as running out of memory, stops instead of hanging. */
class LoadFailureIT {
    @TempDir
    Path dir;

    @Test
    void aServerThatRunsOutOfMemoryWhileLoadingExitsInsteadOfAnsweringNotReadyForEver() throws Exception {
        final Path data = dir.resolve("data");
        try (Storage storage = SqliteStorage.open(data, StorageSettings.defaults())) {
            for (int batch = 0; batch < 20; batch++) {
                final List<Delta.ConceptDelta> concepts = new ArrayList<>();
                final List<Delta.LinkDelta> links = new ArrayList<>();
                for (int i = 0; i < 5_000; i++) {
                    final int n = batch * 5_000 + i;
                    concepts.add(new Delta.ConceptDelta("concept " + n, "Concept " + n, "concept", "", 1L));
                    if (n > 0) {
                        links.add(new Delta.LinkDelta("concept " + n, "concept " + (n - 1), 1, 1L));
                    }
                }
                storage.submit(new StorageOp.Apply("t", new Delta(concepts, links, List.of(), List.of(), List.of())))
                        .join();
            }
        }
        final Path log = dir.resolve("serve.log");
        // Deterministic, no wall-clock bound: a process that exits fails the start with "exited before listening",
        // while one that hangs reaches ServerProcess's start deadline, which fails it with a different cause.
        final IllegalStateException failed = assertThrows(
                IllegalStateException.class,
                () -> ServerProcess.start(data, log, Map.of("JAVA_TOOL_OPTIONS", "-XX:MaxDirectMemorySize=24m"))
                        .close());
        assertTrue(
                String.valueOf(failed.getCause()).contains("exited before listening"),
                "the process must exit, not hang until the start deadline: " + failed + "\n" + ServerProcess.tail(log));
        assertTrue(ServerProcess.tail(log).contains("OutOfMemoryError"), ServerProcess.tail(log));
    }
}
