package ai.continuum.server.transfer;

import ai.continuum.server.storage.ImportJob;
import ai.continuum.server.storage.ImportMode;
import ai.continuum.server.storage.ImportOutcome;
import ai.continuum.server.storage.StateExport;
import ai.continuum.server.storage.Storage;
import ai.continuum.server.storage.StorageUnavailableException;
import ai.continuum.server.storage.StorageWrites;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

/**
 * Export and import, for the CLI, the admin endpoints and the embedding API.
 *
 * <p>An import first validates the whole document ({@link ExportDocumentReader#scan}): a corrupt, truncated or
 * wrong-version file is rejected before anything is written. Each tenant section is then imported in one transaction
 * ({@link Storage#importState}); a multi-tenant document whose import fails part-way (the database failed) leaves the
 * tenants before the failure imported, and running the import again completes it, since an import is idempotent.
 */
public final class DataTransfer {
    /** Runs an import job to completion: storage alone, or storage and a live engine. */
    @FunctionalInterface
    public interface Importer {
        ImportOutcome importState(ImportJob job);
    }

    private DataTransfer() {}

    /** An importer writing to storage only (no engine in this process, e.g. the CLI). */
    public static Importer into(final StorageWrites storage) {
        return job -> {
            try {
                return storage.importState(job).join();
            } catch (final CompletionException e) {
                throw unwrap(e);
            }
        };
    }

    /**
     * Exports to {@code requested} (plus {@code .gz} when compressing, see {@link Documents#exportTarget}). The
     * document is written to a temporary file beside it and moved into place when complete, so the target is never a
     * partial document.
     */
    public static ExportReport exportToFile(
            final StateExport storage,
            final Path requested,
            final boolean compress,
            final String tenantOrNull,
            final boolean includeMemories,
            final TransferProgress progress) {
        final Path target = Documents.exportTarget(requested.toAbsolutePath(), compress);
        Path temp = null;
        try {
            Files.createDirectories(target.getParent());
            temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".partial");
            final ExportReport written;
            try (OutputStream out = Files.newOutputStream(temp)) {
                written = export(storage, out, compress, tenantOrNull, includeMemories, progress);
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            temp = null;
            return new ExportReport(target, written.tenants(), written.items(), Files.size(target));
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (final IOException ignored) {
                    // Best effort: a leftover .partial file is named so it is never mistaken for an export.
                }
            }
        }
    }

    /** Streams a document to {@code out} (not closed; the gzip trailer is written when compressing). */
    public static ExportReport export(
            final StateExport storage,
            final OutputStream out,
            final boolean compress,
            final String tenantOrNull,
            final boolean includeMemories,
            final TransferProgress progress)
            throws IOException {
        final OutputStream stream = Documents.wrapOutput(new NonClosing(out), compress);
        final ExportDocumentWriter writer = new ExportDocumentWriter(stream, Instant.now(), includeMemories, progress);
        storage.export(tenantOrNull, includeMemories, writer);
        writer.finish();
        stream.close();
        return new ExportReport(null, writer.tenants(), writer.items(), -1);
    }

    /**
     * Validates {@code file}, then imports its sections.
     *
     * @param targetTenant null: every section into the tenant it came from. Else only into {@code targetTenant}: the
     *                     section of that name, or the document's only section.
     */
    public static List<TenantImport> importFile(
            final Path file,
            final ImportMode mode,
            final String targetTenant,
            final Importer importer,
            final TransferProgress progress) {
        final DocumentScan scan = ExportDocumentReader.scan(file, progress);
        final List<TenantSection> chosen = choose(scan, targetTenant);
        final List<TenantImport> done = new ArrayList<>();
        long items = 0;
        progress.phase("importing", scan.items());
        for (final TenantSection section : chosen) {
            final String tenant = targetTenant != null ? targetTenant : section.tenant();
            final ImportJob job = new ImportJob(
                    tenant,
                    mode,
                    section.digest(),
                    section.head(),
                    section.seal(),
                    visitor -> ExportDocumentReader.replay(file, section.index(), section.digest(), visitor));
            final ImportOutcome outcome = importer.importState(job);
            done.add(new TenantImport(
                    section.tenant(),
                    tenant,
                    outcome.applied(),
                    outcome.skipReason(),
                    section.items(),
                    outcome.ops(),
                    outcome.head().length()));
            items += section.items();
            progress.advance(items);
        }
        progress.finish();
        return done;
    }

    private static List<TenantSection> choose(final DocumentScan scan, final String targetTenant) {
        if (targetTenant == null) {
            return scan.tenants();
        }
        final List<TenantSection> named = scan.tenants().stream()
                .filter(s -> s.tenant().equals(targetTenant))
                .toList();
        if (!named.isEmpty()) {
            return named;
        }
        if (scan.tenants().size() == 1) {
            return scan.tenants();
        }
        throw new IllegalArgumentException("the document holds no tenant '" + targetTenant + "' and more than one "
                + "other (" + scan.tenants().stream().map(TenantSection::tenant).collect(Collectors.joining(", "))
                + "); name one of them with --tenant");
    }

    static RuntimeException unwrap(final CompletionException e) {
        final Throwable cause = e.getCause();
        if (cause instanceof IllegalArgumentException || cause instanceof StorageUnavailableException) {
            return (RuntimeException) cause;
        }
        return cause instanceof RuntimeException r ? r : new IllegalStateException(cause.getMessage(), cause);
    }

    /** Lets the gzip layer finish without closing the caller's stream. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(final OutputStream out) {
            super(out);
        }

        @Override
        public void write(final byte[] b, final int off, final int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
