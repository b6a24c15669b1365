package ai.continuum.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.engine.Delta;
import ai.continuum.server.storage.SqliteStorage;
import ai.continuum.server.storage.Storage;
import ai.continuum.server.storage.StorageOp;
import ai.continuum.server.storage.StorageSettings;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line tells the truth about content over the size limits: {@code learn} refuses it naming the limit,
 * {@code doctor} fails on a stored row over them (one written before the limits existed) and names it, and
 * {@code verify} finds the chain holding it intact (it is not tampering).
 */
class StoredRowsCliTest {
    @TempDir
    Path dataDir;

    @Test
    void shouldRefuseReportAndVerifyContentOverTheSizeLimits() {
        final String dir = dataDir.toString();
        final CliRun refused = CliRun.of("learn", "--data-dir", dir, "x".repeat(5 << 20), "ok");
        assertNotEquals(0, refused.code());
        assertTrue(refused.err().contains("memory_bytes"), refused.err());

        try (Storage storage = SqliteStorage.open(dataDir, StorageSettings.defaults())) {
            storage.submit(new StorageOp.Apply(
                            "default",
                            new Delta(
                                    List.of(),
                                    List.of(),
                                    List.of(),
                                    List.of(new Delta.MemoryDelta(
                                            7, "s", "y".repeat(25 << 20), "", "", "", 1_000, List.of())),
                                    List.of())))
                    .join();
        }
        final CliRun doctor = CliRun.of("doctor", "--data-dir", dir);
        assertEquals(1, doctor.code(), doctor.out());
        assertTrue(doctor.out().contains("[FAIL] stored rows"), doctor.out());
        assertTrue(doctor.out().contains("memory 7"), doctor.out());

        final CliRun verify = CliRun.of("verify", "--data-dir", dir);
        assertEquals(0, verify.code(), verify.out() + verify.err());
    }
}
