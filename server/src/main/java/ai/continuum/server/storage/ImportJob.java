package ai.continuum.server.storage;

import ai.continuum.engine.Delta;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Objects;

/**
 * One tenant's import, run by {@link Storage#importState} in a single transaction.
 *
 * @param tenant       the tenant the state goes into.
 * @param mode         merge or replace.
 * @param sourceDigest identity of the imported content (the document's digest of the tenant's section): a merge of
 *                     a source already merged into this tenant is skipped.
 * @param sourceHead   the continuity head the document records for its tenant, or null: a merge of a document whose
 *                     head is a position of this tenant's own chain is skipped, its content is already here, when
 *                     {@code sourceSeal} vouches for it, and refused otherwise ({@link UnverifiedContinuityException}).
 * @param sourceSeal   the document's seal of {@code sourceDigest} at {@code sourceHead} ({@link ExportSeal}), or null.
 * @param source       replays the content; called once on the storage writer thread, and again by whoever applies
 *                     the import to an engine.
 */
public record ImportJob(
        String tenant,
        ImportMode mode,
        String sourceDigest,
        Storage.ContinuityHead sourceHead,
        String sourceSeal,
        Source source) {
    public ImportJob {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(sourceDigest, "sourceDigest");
        Objects.requireNonNull(source, "source");
    }

    /** Content to import, replayable: the deltas (bounded in size) and the ids of forgotten memories. */
    @FunctionalInterface
    public interface Source {
        void replay(Visitor visitor) throws IOException, SQLException;
    }

    /** Receives replayed content. */
    public interface Visitor {
        void delta(Delta delta) throws SQLException;

        void forgottenMemory(long memoryId) throws SQLException;
    }
}
