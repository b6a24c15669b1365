package ai.continuum.server.cli;

import ai.continuum.server.storage.ApiKeyCopy;
import ai.continuum.server.storage.Storage;
import ai.continuum.server.storage.StorageSettings;
import ai.continuum.server.transfer.MigrationReport;
import ai.continuum.server.transfer.StorageMigration;
import ai.continuum.server.transfer.TenantMigration;
import ai.continuum.server.transfer.TenantSection;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code continuum migrate --from LOCATION --to LOCATION}: copies every tenant (memories, forgotten-memory ids and
 * API keys included) from one storage to another through export and import, then verifies each tenant's counts and
 * content digest. Exit 0 when everything verified, 1 otherwise (or on any error).
 */
@Command(
        name = "migrate",
        mixinStandardHelpOptions = true,
        description = {
            "Copy every tenant from one storage to another (e.g. SQLite to PostgreSQL, or back) and verify it.",
            "Each tenant is exported from one snapshot of the source (safe while a server runs on it) and imported into "
                    + "the target replacing the target's tenant of that name; then counts of concepts, links, compounds, "
                    + "memories, decisions and forgotten memories, and a sha256 of the content, are compared. API keys are "
                    + "copied (hashes only, so they keep working). Running it again copies only what changed in the source.",
            "Locations: sqlite:PATH (a data directory holding continuum.db, or the database file itself), "
                    + "postgresql://USER:PASSWORD@HOST:PORT/DB or jdbc:postgresql://HOST:PORT/DB?user=..&password=.. .",
            "A server running on the target sees the result after its next restart."
        })
final class MigrateCommand implements Callable<Integer> {
    @Option(names = "--from", required = true, paramLabel = "LOCATION", description = "The storage to copy from.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "LOCATION", description = "The storage to copy into.")
    String to;

    @Option(names = "--no-api-keys", description = "Do not copy API keys.")
    boolean noApiKeys;

    @Option(
            names = "--work-dir",
            paramLabel = "DIR",
            description = "Where each tenant's temporary export goes (default: the system temporary directory).")
    Path workDir;

    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;

    @Option(names = "--verbose", description = "Log at info level and print stack traces of failures.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        final StorageLocation source = StorageLocation.parse("--from", from);
        final StorageLocation target = StorageLocation.parse("--to", to);
        if (source.sameAs(target)) {
            throw new IllegalArgumentException("--from and --to name the same storage (" + source.describe() + ")");
        }
        final Path work = workDir != null ? workDir : Path.of(System.getProperty("java.io.tmpdir"));
        if (!Files.isDirectory(work) || !Files.isWritable(work)) {
            throw new IllegalArgumentException("--work-dir " + work + " is not a writable directory");
        }
        final StorageSettings settings = StorageSettings.defaults();
        final MigrationReport report;
        try (Storage in = source.open(settings, true);
                Storage out = target.open(settings, false)) {
            System.out.println("migrating " + source.describe() + " -> " + target.describe());
            System.out.flush();
            report = StorageMigration.run(in, out, work, !noApiKeys, ConsoleProgress.forConsole(quiet));
        }
        print(report, System.out);
        if (!report.verified()) {
            System.err.println("continuum: migration NOT verified: " + failures(report)
                    + ". The target differs from the source; see the table above.");
            return 1;
        }
        return 0;
    }

    private static void print(final MigrationReport report, final PrintStream out) {
        final String row = "%-24s %-9s %9s %9s %9s %9s %9s %9s  %-12s  %s%n";
        out.printf(
                Locale.ROOT,
                row,
                "TENANT",
                "RESULT",
                "CONCEPTS",
                "LINKS",
                "COMPOUNDS",
                "MEMORIES",
                "DECISIONS",
                "FORGOTTEN",
                "SHA256",
                "VERIFIED");
        for (final TenantMigration t : report.tenants()) {
            final TenantSection s = t.source();
            out.printf(
                    Locale.ROOT,
                    row,
                    t.tenant(),
                    t.result().name().toLowerCase(Locale.ROOT),
                    count(s, "concepts"),
                    count(s, "links"),
                    count(s, "compounds"),
                    count(s, "memories"),
                    count(s, "decisions"),
                    count(s, "forgotten_memories"),
                    s == null ? "-" : TenantMigration.abbreviate(s.digest()),
                    t.verified() ? "ok" : "MISMATCH: " + String.join("; ", t.differences()));
        }
        final long copied = report.tenants().stream()
                .filter(t -> t.result() == TenantMigration.Result.COPIED)
                .count();
        out.printf(
                Locale.ROOT,
                "%d tenant(s): %d copied, %d unchanged since an earlier run, %d verified%n",
                report.tenants().size(),
                copied,
                report.tenants().stream()
                        .filter(t -> t.result() == TenantMigration.Result.UNCHANGED)
                        .count(),
                report.tenants().stream().filter(TenantMigration::verified).count());
        if (!report.targetOnly().isEmpty()) {
            out.println("left as they were (only in the target): " + String.join(", ", report.targetOnly()));
        }
        final ApiKeyCopy.Result keys = report.keys();
        if (keys == null) {
            out.println("API keys: not copied (--no-api-keys)");
        } else {
            out.printf(
                    Locale.ROOT,
                    "API keys: %d copied, %d already present (%d revocation(s) carried over)%s%n",
                    keys.copied(),
                    keys.present(),
                    keys.revoked(),
                    keys.conflicts().isEmpty()
                            ? ""
                            : ", CONFLICT: the target holds a different key under id(s) "
                                    + String.join(", ", keys.conflicts()));
        }
    }

    private static String count(final TenantSection section, final String field) {
        return section == null
                ? "-"
                : String.format(Locale.ROOT, "%,d", section.counts().getOrDefault(field, 0L));
    }

    private static String failures(final MigrationReport report) {
        final StringBuilder b = new StringBuilder();
        for (final TenantMigration t : report.tenants()) {
            if (!t.verified()) {
                b.append(b.isEmpty() ? "" : "; ")
                        .append("tenant '")
                        .append(t.tenant())
                        .append("': ")
                        .append(String.join(", ", t.differences()));
            }
        }
        if (report.keys() != null && !report.keys().conflicts().isEmpty()) {
            b.append(b.isEmpty() ? "" : "; ")
                    .append("API key id(s) held by a different key in the target: ")
                    .append(String.join(", ", report.keys().conflicts()));
        }
        return b.toString();
    }
}
