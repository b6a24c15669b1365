package ai.continuum.server.storage;

import java.io.IOException;
import java.sql.SQLException;

/**
 * Runs one queued import in a transaction of its own, after every op queued before it, and completes its future. It
 * is not retried: a failure rolls everything back and is reported to the importer, who may run it again (an import is
 * idempotent). Content the database rejects, or a source that cannot be read, fails with
 * {@link IllegalArgumentException}; a database failure with {@link StorageUnavailableException}.
 *
 * <p>Thread model: the writer thread only.
 */
final class ImportRunner {
    private static final System.Logger LOG = System.getLogger(ImportRunner.class.getName());

    private final WriterConnection connection;
    private final SqlDialect dialect;
    private final StorageSettings settings;
    private final WriteAvailability availability;
    /** Told of every replace committed (its clear deleted the tenant's stored vectors). */
    private final SideWrites sideWrites;
    /** Completes a committed import once it is durable. */
    private final WhenDurable durable;

    ImportRunner(
            final WriterConnection connection,
            final SqlDialect dialect,
            final StorageSettings settings,
            final WriteAvailability availability,
            final SideWrites sideWrites,
            final WhenDurable durable) {
        this.connection = connection;
        this.dialect = dialect;
        this.settings = settings;
        this.availability = availability;
        this.sideWrites = sideWrites;
        this.durable = durable;
    }

    void run(final WriteQueue.ImportRun run, final long nowMs) {
        try {
            if (availability.unavailable()) {
                throw availability.refusal();
            }
            connection.beginWrite();
            final ImportOutcome outcome;
            try {
                outcome = new ImportTransaction(connection.statements(), dialect, settings, nowMs).run(run.job());
            } catch (final UnverifiedContinuityException refused) {
                // Refused before anything was written: the connection is sound, the importer hears why.
                connection.get().rollback();
                run.future().completeExceptionally(refused);
                return;
            }
            if (outcome.applied()) {
                connection.commit();
                if (run.job().mode() == ImportMode.REPLACE) {
                    sideWrites.tenantCleared(run.job().tenant());
                }
                durable.then(() -> run.future().complete(outcome), run.future()::completeExceptionally, 1);
            } else {
                connection.get().rollback();
                run.future().complete(outcome);
            }
        } catch (final StorageUnavailableException e) {
            connection.discard();
            run.future().completeExceptionally(e);
        } catch (final SQLException | IOException | RuntimeException e) {
            connection.discard();
            LOG.log(
                    System.Logger.Level.WARNING,
                    "storage writer: import into tenant '" + run.job().tenant() + "' rolled back: "
                            + Failures.describe(e));
            run.future()
                    .completeExceptionally(
                            e instanceof IOException || dialect.isDataError(e)
                                    ? new IllegalArgumentException(
                                            "the import was rejected: " + Failures.describe(e), e)
                                    : new StorageUnavailableException(
                                            "the import was not committed: " + Failures.describe(e), e));
        }
    }
}
