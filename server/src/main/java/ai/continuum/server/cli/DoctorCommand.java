package ai.continuum.server.cli;

import ai.continuum.server.auth.AdminKey;
import ai.continuum.server.config.ServerConfig;
import ai.continuum.server.core.StoredRowScreen;
import ai.continuum.server.metrics.ContinuumMetrics;
import ai.continuum.server.storage.OwnerOnly;
import ai.continuum.server.storage.PostgresStorage;
import ai.continuum.server.storage.SqliteStorage;
import ai.continuum.server.storage.Storage;
import ai.continuum.server.tls.ListenerTls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code continuum doctor}: checks the configuration, the data directory, the admin key file, the database (reachable,
 * schema version, integrity) and the port, without changing anything. Exit code 1 when a check fails.
 */
@Command(
        name = "doctor",
        mixinStandardHelpOptions = true,
        description = "Check configuration, data directory, database and port; changes nothing.")
final class DoctorCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    /** What the expiry alert uses too: a renewal that has not happened 14 days ahead is overdue. */
    private static final long EXPIRY_WARNING_DAYS = 14;

    private int failures;

    @Override
    public Integer call() {
        final ServerConfig config;
        try {
            config = options.load();
        } catch (final RuntimeException e) {
            fail("configuration", e.getMessage());
            return 1;
        }
        ok(
                "configuration",
                config.storageBackend() + " storage, data " + config.dataDir().toAbsolutePath() + ", listen "
                        + config.host() + ":" + config.port() + ", rate " + config.rateLimitPerMinute() + "/min");
        checkDataDir(config.dataDir());
        checkAdminKey(config);
        checkOwnerOnly(config.dataDir());
        checkTls(config);
        if (config.sqlite()) {
            checkSqlite(config.dataDir().resolve(SqliteStorage.FILE_NAME));
        } else {
            checkDatabase("postgresql", () -> PostgresStorage.connect(config.connectionString()), false);
        }
        checkStoredRows(config);
        checkPort(config);
        ok("pi x phi", Double.toString(ContinuumMetrics.PI_PHI));
        System.out.println(failures == 0 ? "all checks passed" : failures + " check(s) failed");
        return failures == 0 ? 0 : 1;
    }

    private void checkDataDir(final Path dir) {
        if (!Files.isDirectory(dir)) {
            warn("data directory", dir + " does not exist yet; serve creates it");
            return;
        }
        try {
            final Path probe = Files.createTempFile(dir, ".doctor", ".tmp");
            Files.delete(probe);
            ok("data directory", dir + " is writable");
        } catch (final IOException e) {
            fail("data directory", dir + " is not writable: " + e.getMessage());
        }
    }

    private void checkAdminKey(final ServerConfig config) {
        if (!config.adminKey().isEmpty()) {
            ok("admin key", "from CONTINUUM_ADMIN_KEY");
            return;
        }
        final Path file = config.dataDir().resolve(AdminKey.FILE_NAME);
        if (!Files.exists(file)) {
            warn("admin key", "none yet; serve generates " + file + " on first start");
            return;
        }
        ok("admin key", file.toString());
    }

    /**
     * The data directory, its import spool and the files holding tenants' data and keys must be the server user's
     * alone (the server creates them so); a group or others permission is flagged with the chmod that fixes it.
     */
    private void checkOwnerOnly(final Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        final List<String> open = new ArrayList<>();
        final String db = SqliteStorage.FILE_NAME;
        for (final String name : List.of("", "tmp", AdminKey.FILE_NAME, db, db + "-wal", db + "-shm", db + ".lock")) {
            final Path path = name.isEmpty() ? dir : dir.resolve(name);
            try {
                if (Files.exists(path)) {
                    final String grants = OwnerOnly.openTo(path);
                    if (!grants.isEmpty()) {
                        open.add(path + " grants " + grants + " (" + OwnerOnly.fix(path) + ")");
                    }
                }
            } catch (final IOException e) {
                open.add(path + " cannot be checked: " + e.getMessage());
            }
        }
        if (open.isEmpty()) {
            ok("permissions", "the data directory and its files are owner-only");
        } else {
            fail("permissions", "other local users may read tenants' data or keys: " + String.join("; ", open));
        }
    }

    /** The listener's certificate as the server would load it, and how long it has left. */
    private void checkTls(final ServerConfig config) {
        if (!config.tls().enabled()) {
            ok("tls", "off (plain HTTP; set server.tls.certificate and server.tls.private-key to serve TLS)");
            return;
        }
        final ListenerTls tls;
        try {
            tls = ListenerTls.load(config.tls());
        } catch (final RuntimeException e) {
            fail("tls", e.getMessage());
            return;
        }
        final long daysLeft = Duration.between(Instant.now(), tls.notAfter()).toDays();
        final String what = tls.describe() + " (" + daysLeft + " days left), client certificates "
                + config.tls().clientAuth();
        if (tls.notAfter().isBefore(Instant.now())) {
            fail("tls", "the certificate has expired: " + what);
        } else if (daysLeft < EXPIRY_WARNING_DAYS) {
            warn("tls", "the certificate expires soon: " + what);
        } else {
            ok("tls", what);
        }
    }

    private void checkSqlite(final Path db) {
        if (!Files.exists(db)) {
            warn("database", db + " does not exist yet; serve creates it");
            return;
        }
        checkDatabase(
                "sqlite",
                () -> {
                    final Properties props = new Properties();
                    props.setProperty("open_mode", "1");
                    return DriverManager.getConnection("jdbc:sqlite:" + db, props);
                },
                true);
    }

    private interface Connector {
        Connection open() throws SQLException;
    }

    private void checkDatabase(final String name, final Connector connector, final boolean sqlite) {
        try (Connection c = connector.open();
                Statement st = c.createStatement()) {
            ok("database", name + " reachable");
            try (ResultSet rs = st.executeQuery("SELECT version FROM flyway_schema_history WHERE success "
                    + (sqlite ? "= 1" : "") + " ORDER BY installed_rank DESC LIMIT 1")) {
                if (rs.next()) {
                    ok("schema", "version " + rs.getString(1));
                } else {
                    fail("schema", "no successful migration recorded");
                }
            } catch (final SQLException e) {
                fail("schema", "no schema history (" + e.getMessage() + ")");
            }
            if (sqlite) {
                try (ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
                    final String result = rs.next() ? rs.getString(1) : "no answer";
                    if ("ok".equals(result)) {
                        ok("integrity", "PRAGMA integrity_check: ok");
                    } else {
                        fail("integrity", "PRAGMA integrity_check: " + result);
                    }
                }
            }
        } catch (final SQLException e) {
            fail("database", name + " not reachable: " + e.getMessage());
        }
    }

    /**
     * Streams the stored state through the same screen start-up uses, so doctor reports exactly the rows a start
     * would skip (rows over the size limits, stored before the limits existed or behind the API).
     */
    private void checkStoredRows(final ServerConfig config) {
        if (config.sqlite() && !Files.exists(config.dataDir().resolve(SqliteStorage.FILE_NAME))) {
            return;
        }
        final StoredRowScreen screen = new StoredRowScreen((tenant, delta) -> {});
        try (Storage storage = ExistingStorage.open(config)) {
            storage.load(screen);
        } catch (final RuntimeException e) {
            fail("stored rows", "cannot read the stored state: " + e.getMessage());
            return;
        }
        if (screen.skipped() == 0) {
            ok("stored rows", "every stored row is within the size limits and loads");
            return;
        }
        fail(
                "stored rows",
                screen.skipped() + " stored row(s) are over the size limits; serve skips them "
                        + "(they stay in the database): forget them, or export, shorten and import them");
        for (final StoredRowScreen.SkippedRow row : screen.firstSkipped()) {
            System.out.printf("       %-15s tenant '%s', %s: %s%n", "", row.tenant(), row.row(), row.problem());
        }
    }

    private void checkPort(final ServerConfig config) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(config.host(), config.port()));
            ok("port", config.host() + ":" + config.port() + " is free");
        } catch (final IOException e) {
            warn("port", config.host() + ":" + config.port() + " is in use (a running server?)");
        }
    }

    private static void ok(final String check, final String detail) {
        System.out.printf("[ok]   %-15s %s%n", check, detail);
    }

    private static void warn(final String check, final String detail) {
        System.out.printf("[warn] %-15s %s%n", check, detail);
    }

    private void fail(final String check, final String detail) {
        failures++;
        System.out.printf("[FAIL] %-15s %s%n", check, detail);
    }
}
