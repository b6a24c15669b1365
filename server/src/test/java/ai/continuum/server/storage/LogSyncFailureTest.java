package ai.continuum.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;

/**
 * SQLite's commits are acknowledged only once their log is synced: when the sync fails, the commit is reported as of
 * unknown outcome (it was written, it may not be on disk), never as acknowledged or as not applied, and the writer
 * refuses every later write until a restart. The failure is real: the log's path is made to name a socket, which
 * cannot be opened to sync, while SQLite keeps writing through the handle it holds.
 */
class LogSyncFailureTest {
    private static final String T = "tenant-a";

    @Test
    void aFailedSyncReportsItsCommitAsUnknownAndRefusesLaterWrites() throws Exception {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(1_700_000_000_000L);
        try (TestDatabase db = TestDatabase.create(TestDatabase.Backend.SQLITE)) {
            final SqlStorage s = db.create(StorageSettings.defaults(), clock);
            final Path log = Path.of(db.location()).resolve(SqliteStorage.FILE_NAME + "-wal");
            final Path aside = log.resolveSibling("log-aside");
            try {
                final CompletableFuture<Storage.ContinuityHead> first =
                        s.submit(new StorageOp.Apply(T, Deltas.turn(1, 1, "turn 1", "Alpha", "Beta")));
                s.writer().doWork();
                assertEquals(1, first.get().length(), "synced and acknowledged");

                Files.move(log, aside);
                try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                    socket.bind(UnixDomainSocketAddress.of(log));
                    final CompletableFuture<Storage.ContinuityHead> second =
                            s.submit(new StorageOp.Apply(T, Deltas.turn(2, 2, "turn 2", "Alpha", "Gamma")));
                    s.writer().doWork();
                    final ExecutionException unknown = assertThrows(ExecutionException.class, second::get);
                    assertInstanceOf(CommitDurabilityUnknownException.class, unknown.getCause());

                    final CompletableFuture<Storage.ContinuityHead> queued =
                            s.submit(new StorageOp.Apply(T, Deltas.turn(3, 3, "turn 3", "Alpha", "Delta")));
                    s.writer().doWork();
                    assertInstanceOf(
                            StorageUnavailableException.class,
                            assertThrows(ExecutionException.class, queued::get).getCause(),
                            "an op queued behind the failure is not committed: not applied");
                    assertTrue(s.writer().isUnavailable());
                    final CompletableFuture<Storage.ContinuityHead> refused =
                            s.submit(new StorageOp.Apply(T, Deltas.turn(4, 4, "turn 4", "Alpha", "Delta")));
                    assertInstanceOf(
                            StorageUnavailableException.class,
                            assertThrows(ExecutionException.class, refused::get).getCause(),
                            "refused at once");
                    s.writer().doWork(); // an idle writer does not probe its way back to accepting writes
                    assertTrue(s.writer().isUnavailable(), "refused until the service restarts");
                    assertFalse(queued.isCancelled());
                }
            } finally {
                Files.deleteIfExists(log);
                if (Files.exists(aside)) {
                    Files.move(aside, log);
                }
                s.close();
            }
            // a restart reads what is on disk: the second turn was written, so it is there
            try (Storage reopened = db.open(StorageSettings.defaults())) {
                assertEquals(2, reopened.continuity(T).length());
            }
        }
    }
}
