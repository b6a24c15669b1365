package ai.continuum.server.storage;

import ai.continuum.engine.Delta;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Writes one {@link ImportJob} into an open transaction as ordinary ops through {@link BatchApplier} (so the state
 * tables, change log, chain and memory origins are written exactly as for learned state), and records the source in
 * {@code import_sources}. The caller commits when {@link ImportOutcome#applied} and rolls back otherwise.
 *
 * <p>Each replayed delta is written and flushed on its own, so memory stays bounded by one delta however large the
 * import. Thread safety: confined to the writer thread; one instance per import.
 */
final class ImportTransaction {
    private final Statements statements;
    private final Connection connection;
    private final SqlDialect dialect;
    private final StorageSettings settings;
    private final long nowMillis;

    /** A transaction on the connection of {@code statements} (the writer's), which it joins. */
    ImportTransaction(
            final Statements statements,
            final SqlDialect dialect,
            final StorageSettings settings,
            final long nowMillis) {
        this.statements = statements;
        this.connection = statements.connection();
        this.dialect = dialect;
        this.settings = settings;
        this.nowMillis = nowMillis;
    }

    ImportOutcome run(final ImportJob job) throws SQLException, IOException {
        final String tenant = job.tenant();
        final long[] ops = {0};
        final Storage.ContinuityHead[] head = {null};
        final long headBefore;
        final BatchApplier applier = new BatchApplier(statements, dialect, settings.engine(), nowMillis);
        // The tenant's chain position is taken (on PostgreSQL, its row locked) before anything is read or
        // deleted: whether the import is skipped is judged at the head it will follow, and a replace's clear sees
        // every op ordered before it.
        final Storage.ContinuityHead before = applier.chainHead(tenant);
        headBefore = before.length();
        final String skip = skipReason(job, headBefore);
        if (skip != null) {
            return new ImportOutcome(false, skip, 0, before);
        }
        if (job.mode() == ImportMode.REPLACE) {
            head[0] = append(applier, new StorageOp.ClearTenant(tenant));
            ops[0]++;
        }
        job.source().replay(new ImportJob.Visitor() {
            @Override
            public void delta(final Delta delta) throws SQLException {
                if (!delta.isEmpty()) {
                    head[0] = append(applier, new StorageOp.Apply(tenant, delta));
                    ops[0]++;
                }
            }

            @Override
            public void forgottenMemory(final long memoryId) throws SQLException {
                head[0] = append(applier, new StorageOp.ForgetMemory(tenant, memoryId));
                ops[0]++;
            }
        });
        applier.flush();
        applier.announce(-1);
        final Storage.ContinuityHead after = head[0] != null ? head[0] : headOf(tenant);
        recordSource(job, headBefore + 1, after.length());
        return new ImportOutcome(true, null, ops[0], after);
    }

    private static Storage.ContinuityHead append(final BatchApplier applier, final StorageOp op) throws SQLException {
        final Storage.ContinuityHead head = applier.apply(op, EncodedOp.of(op));
        applier.flush();
        return head;
    }

    /** Why the import changes nothing, or null when it must run (see {@link Storage#importState}). */
    private String skipReason(final ImportJob job, final long headSeq) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT mode, last_seq FROM import_sources " + "WHERE tenant_id = ? AND source_digest = ?")) {
            ps.setString(1, job.tenant());
            ps.setString(2, job.sourceDigest());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    if (job.mode() == ImportMode.MERGE) {
                        return "this document was already imported into tenant '" + job.tenant() + "' ("
                                + rs.getString(1).toLowerCase(java.util.Locale.ROOT) + "); a source is merged once";
                    }
                    // Only a replace leaves the tenant holding exactly the document, and only while nothing followed.
                    if ("REPLACE".equals(rs.getString(1)) && rs.getLong(2) == headSeq) {
                        return "tenant '" + job.tenant() + "' already holds exactly this document's state";
                    }
                }
            }
        }
        final Storage.ContinuityHead source = job.sourceHead();
        if (job.mode() == ImportMode.MERGE
                && source != null
                && source.length() > 0
                && source.tenant().equals(job.tenant())) {
            try (PreparedStatement ps =
                    connection.prepareStatement("SELECT hash FROM change_log WHERE tenant_id = ? AND seq = ?")) {
                ps.setString(1, job.tenant());
                ps.setLong(2, source.length());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getString(1).equals(source.headHex())) {
                        if (!ExportSeal.read(connection).vouches(source, job.sourceDigest(), job.sourceSeal())) {
                            // The head alone is public (every export shows it): only the seal ties this content to
                            // it. Skipping would drop the document silently; merging would add the tenant's own
                            // counts to themselves if it is the tenant's state after all. Refused, with the ways on.
                            throw new UnverifiedContinuityException("the document claims to be tenant '"
                                    + job.tenant() + "''s own state at op " + source.length() + " of its history, "
                                    + "but its seal does not vouch for its content (the content was changed after the "
                                    + "export, or another store or an older version exported it); nothing was "
                                    + "imported into '" + job.tenant() + "'. Import it with replace to make it "
                                    + "the tenant's state, or into another tenant");
                        }
                        return "the document is tenant '" + job.tenant() + "''s own state at op " + source.length()
                                + " of its history; everything in it is already here";
                    }
                }
            }
        }
        return null;
    }

    private void recordSource(final ImportJob job, final long firstSeq, final long lastSeq) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO import_sources (tenant_id, "
                + "source_digest, mode, imported_at, first_seq, last_seq) VALUES (?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (tenant_id, source_digest) DO UPDATE SET mode = excluded.mode, "
                + "imported_at = excluded.imported_at, first_seq = excluded.first_seq, last_seq = excluded.last_seq")) {
            ps.setString(1, job.tenant());
            ps.setString(2, job.sourceDigest());
            ps.setString(3, job.mode().name());
            ps.setLong(4, nowMillis);
            ps.setLong(5, firstSeq);
            ps.setLong(6, lastSeq);
            ps.executeUpdate();
        }
    }

    private Storage.ContinuityHead headOf(final String tenant) throws SQLException {
        return ChainHeads.read(connection, tenant);
    }
}
