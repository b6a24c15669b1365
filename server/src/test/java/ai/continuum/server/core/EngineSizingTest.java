package ai.continuum.server.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.continuum.engine.Delta;
import ai.continuum.engine.EngineConfig;
import ai.continuum.server.storage.SqliteStorage;
import ai.continuum.server.storage.Storage;
import ai.continuum.server.storage.StorageOp;
import ai.continuum.server.storage.StorageSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineSizingTest {
    @TempDir
    Path dir;

    @Test
    void aStoreLargerThanTheConfigurationSizesTheEngineForTwiceWhatItHolds() {
        final EngineConfig configured = EngineConfig.defaults().withExpectedConcepts(1024);
        try (Storage storage = SqliteStorage.open(dir, StorageSettings.defaults())) {
            assertEquals(configured, EngineSizing.forStored(configured, storage), "an empty store keeps the config");
            final List<Delta.ConceptDelta> concepts = new ArrayList<>();
            for (int i = 0; i < 3_000; i++) {
                concepts.add(new Delta.ConceptDelta("concept " + i, "Concept " + i, "concept", "", 1L));
            }
            storage.submit(new StorageOp.Apply("t", new Delta(concepts, List.of(), List.of(), List.of(), List.of())))
                    .join();
            assertEquals(3_000, storage.conceptCount());
            assertEquals(6_000, EngineSizing.forStored(configured, storage).expectedConcepts());
            assertEquals(
                    1 << 16,
                    EngineSizing.forStored(EngineConfig.defaults(), storage).expectedConcepts(),
                    "a configuration that is already larger stays");
        }
    }
}
