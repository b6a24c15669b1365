package ai.continuum.server.transfer;

import ai.continuum.engine.Delta;
import ai.continuum.server.storage.ApiKeyCopy;
import ai.continuum.server.storage.ExportSeal;
import ai.continuum.server.storage.ExportSink;
import ai.continuum.server.storage.ImportMode;
import ai.continuum.server.storage.Storage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Copies every tenant of one storage into another (SQLite to PostgreSQL, or any other pair) through export and
 * import, then verifies each. Per tenant: its export (memories included) is streamed from one read snapshot of the
 * source into a temporary document, while its counts and digest are taken from the same callbacks; the document is
 * validated and imported into the target with {@link ImportMode#REPLACE}; the target tenant is then read back and its
 * counts and digest compared with the snapshot's.
 *
 * <p>Re-running converges: a tenant whose content is unchanged since the last run is skipped by the import's
 * idempotency (its digest is the last thing written to the target tenant), a changed one is replaced whole. A live
 * source is safe: each tenant is read in one snapshot, and the target is verified against that snapshot. The target
 * is written through its storage only: a server running on the target sees the result after a restart.
 *
 * <p>Thread safety: stateless; runs on the caller's thread.
 */
public final class StorageMigration {
    private StorageMigration() {}

    /**
     * Copies every tenant from {@code source} to {@code target}, one tenant at a time.
     *
     * @param workDir  where the temporary per-tenant documents go (each is deleted once its tenant is done; the
     *                 largest tenant's export must fit).
     * @param copyKeys also copy the API keys ({@link ApiKeyCopy}).
     */
    public static MigrationReport run(
            final Storage source,
            final Storage target,
            final Path workDir,
            final boolean copyKeys,
            final TransferProgress progress) {
        final List<String> names = source.tenants();
        final List<TenantMigration> done = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            final String tenant = names.get(i);
            final String label = "[" + (i + 1) + "/" + names.size() + "] " + tenant + ": ";
            done.add(migrateTenant(source, target, tenant, workDir, new Labelled(label, progress)));
        }
        final Set<String> targetOnly = new TreeSet<>(target.tenants());
        names.forEach(targetOnly::remove);
        final ApiKeyCopy.Result keys = copyKeys ? ApiKeyCopy.copy(source.apiKeys(), target.apiKeys()) : null;
        return new MigrationReport(done, List.copyOf(targetOnly), keys);
    }

    private static TenantMigration migrateTenant(
            final Storage source,
            final Storage target,
            final String tenant,
            final Path workDir,
            final TransferProgress progress) {
        Path document = null;
        try {
            document = Files.createTempFile(workDir, ".continuum-migrate-" + tenant + "-", ".json");
            final ContentDigest snapshot = new ContentDigest();
            try (OutputStream out = Documents.wrapOutput(Files.newOutputStream(document), false)) {
                final ExportDocumentWriter writer = new ExportDocumentWriter(out, Instant.now(), true, progress);
                source.export(tenant, true, new Both(writer, snapshot));
                writer.finish();
            }
            if (snapshot.tenants().isEmpty()) {
                return new TenantMigration(tenant, TenantMigration.Result.GONE, null, null, null, List.of());
            }
            final TenantSection copied = snapshot.tenants().getFirst();
            final TenantImport imported = DataTransfer.importFile(
                            document, ImportMode.REPLACE, null, DataTransfer.into(target), progress)
                    .getFirst();
            final TenantSection readBack =
                    ContentDigest.of(target, tenant).stream().findFirst().orElse(null);
            return new TenantMigration(
                    tenant,
                    imported.applied() ? TenantMigration.Result.COPIED : TenantMigration.Result.UNCHANGED,
                    imported.skipReason(),
                    copied,
                    readBack,
                    TenantMigration.differences(copied, readBack));
        } catch (final IOException e) {
            throw new UncheckedIOException(
                    "cannot write the temporary export of tenant '" + tenant + "' in " + workDir + ": "
                            + e.getMessage(),
                    e);
        } finally {
            if (document != null) {
                try {
                    Files.deleteIfExists(document);
                } catch (final IOException ignored) {
                    // Best effort: the dot-named file in the work directory is recognisably a leftover.
                }
            }
        }
    }

    /** Hands one export to two sinks: the document writer and the digest of the same snapshot. */
    private record Both(ExportSink first, ExportSink second) implements ExportSink {
        @Override
        public void beginTenant(final Storage.ContinuityHead head, final ExportSeal seal) {
            first.beginTenant(head, seal);
            second.beginTenant(head, seal);
        }

        @Override
        public void delta(final Delta delta) {
            first.delta(delta);
            second.delta(delta);
        }

        @Override
        public void forgottenMemory(final long memoryId) {
            first.forgottenMemory(memoryId);
            second.forgottenMemory(memoryId);
        }

        @Override
        public void endTenant() {
            first.endTenant();
            second.endTenant();
        }
    }

    /** Prefixes each phase with the tenant it works on. */
    private record Labelled(String label, TransferProgress progress) implements TransferProgress {
        @Override
        public void phase(final String name, final long total) {
            progress.phase(label + name, total);
        }

        @Override
        public void advance(final long done) {
            progress.advance(done);
        }

        @Override
        public void finish() {
            progress.finish();
        }
    }
}
