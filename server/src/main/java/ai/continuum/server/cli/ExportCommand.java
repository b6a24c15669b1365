package ai.continuum.server.cli;

import ai.continuum.server.ContinuumServer;
import ai.continuum.server.config.ServerConfig;
import ai.continuum.server.storage.Storage;
import ai.continuum.server.transfer.DataTransfer;
import ai.continuum.server.transfer.ExportReport;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code continuum export FILE}: writes the stored state as a versioned JSON document. Reads storage only (one
 * snapshot), so it runs beside a server on the same database.
 */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Export concepts, links, compounds, decisions and forgotten-memory ids (and memories with "
                    + "--include-memories) of one tenant or all, as a versioned JSON document.",
            "Safe while the server runs: it reads one consistent snapshot."
        })
final class ExportCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Parameters(index = "0", paramLabel = "FILE", description = "Where to write; '-' for standard output.")
    String file;

    @Option(names = "--compress", description = "Write gzip; adds .gz to FILE unless it already ends so.")
    boolean compress;

    @Option(names = "--tenant", paramLabel = "TENANT", description = "Only this tenant (default: every tenant).")
    String tenant;

    @Option(names = "--include-memories", description = "Include the memories (conversation turns) themselves.")
    boolean includeMemories;

    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        final ServerConfig config = options.load();
        final String only = tenant == null ? null : Tenants.resolve(tenant, config);
        try (Storage storage = ContinuumServer.openStorage(config)) {
            if ("-".equals(file)) {
                DataTransfer.export(
                        storage, System.out, compress, only, includeMemories, ConsoleProgress.forConsole(true));
                System.out.flush();
                return 0;
            }
            final ExportReport report = DataTransfer.exportToFile(
                    storage, Path.of(file), compress, only, includeMemories, ConsoleProgress.forConsole(quiet));
            if (report.tenants() == 0 && only != null) {
                System.err.println("continuum: warning: tenant '" + only + "' has no stored state; the document "
                        + "holds no tenant");
            }
            System.out.printf(
                    Locale.ROOT,
                    "exported %d tenant(s), %,d items to %s (%,d bytes)%n",
                    report.tenants(),
                    report.items(),
                    report.file(),
                    report.bytes());
        }
        return 0;
    }
}
