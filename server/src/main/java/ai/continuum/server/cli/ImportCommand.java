package ai.continuum.server.cli;

import ai.continuum.server.ContinuumServer;
import ai.continuum.server.config.ServerConfig;
import ai.continuum.server.storage.ImportMode;
import ai.continuum.server.storage.Storage;
import ai.continuum.server.transfer.DataTransfer;
import ai.continuum.server.transfer.TenantImport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code continuum import FILE}: validates an export document whole, then imports each tenant in one transaction.
 * Writes the database directly: a server running on it sees the import after a restart (for a live import use
 * {@code POST /v1/admin/import}).
 */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = {
            "Import an export document (plain or gzip). The whole file is checked first: a corrupt, "
                    + "truncated or wrong-version file is rejected and nothing changes. Importing the same file again changes "
                    + "nothing.",
            "A running server sees the import after its next restart; for a live import use POST /v1/admin/import."
        })
final class ImportCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Parameters(index = "0", paramLabel = "FILE", description = "An export document (.json or .json.gz).")
    Path file;

    @ArgGroup(exclusive = true)
    Mode mode = new Mode();

    @Option(
            names = "--tenant",
            paramLabel = "TENANT",
            description = "Import into this tenant: the document's section of that name, or its only section.")
    String tenant;

    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;

    static final class Mode {
        @Option(
                names = "--merge",
                description = "Merge into the existing state (default): counts add, times take "
                        + "the maximum, sets unite; a document is merged once.")
        boolean merge;

        @Option(
                names = "--replace",
                description = "Replace each imported tenant's state with the document's "
                        + "(forgotten memories stay forgotten).")
        boolean replace;
    }

    @Override
    public Integer call() throws Exception {
        final ServerConfig config = options.load();
        final String into = tenant == null ? null : Tenants.resolve(tenant, config);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " is not a readable file");
        }
        final ImportMode chosen = mode.replace ? ImportMode.REPLACE : ImportMode.MERGE;
        final List<TenantImport> results;
        try (Storage storage = ContinuumServer.openStorage(config)) {
            results = DataTransfer.importFile(
                    file, chosen, into, DataTransfer.into(storage), ConsoleProgress.forConsole(quiet));
        }
        for (final TenantImport r : results) {
            if (r.applied()) {
                System.out.printf(
                        Locale.ROOT,
                        "imported tenant '%s'%s (%s): %,d items, %,d ops, continuity length " + "%,d%n",
                        r.tenant(),
                        r.sourceTenant().equals(r.tenant()) ? "" : " from '" + r.sourceTenant() + "'",
                        chosen.name().toLowerCase(Locale.ROOT),
                        r.items(),
                        r.ops(),
                        r.headLength());
            } else {
                System.out.printf(Locale.ROOT, "skipped tenant '%s': %s%n", r.tenant(), r.skipReason());
            }
        }
        return 0;
    }
}
