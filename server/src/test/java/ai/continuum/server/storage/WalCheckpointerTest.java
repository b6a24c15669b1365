package ai.continuum.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SQLite's write-ahead log is copied into the database file by the checkpointer thread, not by the writer's commits:
 * the writer's own threshold is the backstop, far above what one burst of learns writes.
 */
class WalCheckpointerTest {
    @Test
    void shouldCopyTheLogIntoTheFileOffTheWriterThread() throws Exception {
        try (TestDatabase db = TestDatabase.create(TestDatabase.Backend.SQLITE);
                Storage storage = db.open(StorageSettings.defaults())) {
            final Path file = Path.of(db.location()).resolve(SqliteStorage.FILE_NAME);
            final long before = Files.size(file);
            final String text = "x".repeat(16_000);
            final List<CompletableFuture<Storage.ContinuityHead>> learns = new ArrayList<>();
            for (int i = 1; i <= 120; i++) { // about 2 MB of log: far below the backstop of 64 MiB
                learns.add(storage.submit(
                        new StorageOp.Apply("t", Deltas.turn(i, i, text + i, "Concept " + i, "Release Plan"))));
            }
            for (final CompletableFuture<Storage.ContinuityHead> f : learns) {
                f.get(60, TimeUnit.SECONDS);
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (Files.size(file) < before + 1_000_000 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(
                    Files.size(file) >= before + 1_000_000,
                    "the committed pages reached the database file: " + before + " -> " + Files.size(file));
            try (Connection c = db.connect();
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT count(*) FROM messages")) {
                rs.next();
                assertEquals(120, rs.getLong(1));
            }
        }
    }
}
