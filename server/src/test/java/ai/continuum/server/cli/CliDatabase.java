package ai.continuum.server.cli;

import ai.continuum.engine.Delta;
import ai.continuum.server.storage.PostgresSchema;
import ai.continuum.server.storage.SqliteStorage;
import ai.continuum.server.storage.Storage;
import ai.continuum.server.storage.StorageOp;
import ai.continuum.server.storage.StorageSettings;
import ai.continuum.server.storage.Storages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A database the CLI tests point commands at: a SQLite data directory, or a private schema of a real PostgreSQL
 * reached through a config file (the CLI's {@code --config}), with a direct JDBC connection for tampering.
 */
final class CliDatabase implements AutoCloseable {
    private final String backend;
    private final Path dataDir;
    private final String jdbcUrl;
    private final List<String> options;
    private final PostgresSchema schema;

    private CliDatabase(
            final String backend,
            final Path dataDir,
            final String jdbcUrl,
            final List<String> options,
            final PostgresSchema schema) {
        this.backend = backend;
        this.dataDir = dataDir;
        this.jdbcUrl = jdbcUrl;
        this.options = options;
        this.schema = schema;
    }

    static CliDatabase sqlite(final Path dataDir) {
        return new CliDatabase(
                Storages.SQLITE,
                dataDir,
                "jdbc:sqlite:" + dataDir.resolve(SqliteStorage.FILE_NAME),
                List.of("--data-dir", dataDir.toString()),
                null);
    }

    /** A fresh schema; the connection string names it with {@code currentSchema}, as a deployment would. */
    static CliDatabase postgres(final Path dataDir) throws IOException {
        final PostgresSchema schema = PostgresSchema.create();
        final Path config = dataDir.resolve("postgres.yaml");
        Files.createDirectories(dataDir);
        Files.writeString(config, "storage:\n  backend: postgresql\n  connection-string: \"" + schema.url() + "\"\n");
        return new CliDatabase(
                Storages.POSTGRESQL,
                dataDir,
                schema.url(),
                List.of("--data-dir", dataDir.toString(), "--config", config.toString()),
                schema);
    }

    String backend() {
        return backend;
    }

    /** {@code command} followed by the options that point it at this database, then {@code more}. */
    String[] args(final String command, final String... more) {
        final List<String> args = new ArrayList<>();
        args.add(command);
        args.addAll(options);
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    Storage open() {
        return Storages.open(backend, dataDir, jdbcUrl, StorageSettings.defaults());
    }

    Connection jdbc() throws SQLException {
        return DriverManager.getConnection(jdbcUrl);
    }

    /** Commits {@code count} learn-like ops for {@code tenant} (memory ids from {@code firstId}) and waits for them. */
    static void learn(
            final Storage storage, final String tenant, final long firstId, final int count, final String text) {
        final List<CompletableFuture<Storage.ContinuityHead>> acks = new ArrayList<>();
        for (long id = firstId; id < firstId + count; id++) {
            acks.add(storage.submit(turn(tenant, id, "turn " + id + " " + text)));
        }
        acks.forEach(CompletableFuture::join);
    }

    /** One turn about Alpha and Beta: two concepts, their link, one memory. */
    static StorageOp turn(final String tenant, final long memoryId, final String text) {
        final long at = 1_000L * memoryId;
        final List<String> keys = List.of("alpha", "beta");
        return new StorageOp.Apply(
                tenant,
                new Delta(
                        List.of(
                                new Delta.ConceptDelta("alpha", "Alpha", "concept", "", at),
                                new Delta.ConceptDelta("beta", "Beta", "concept", "", at)),
                        List.of(new Delta.LinkDelta("alpha", "beta", 1, at)),
                        List.of(),
                        List.of(new Delta.MemoryDelta(memoryId, "s1", text, "Noted.", "", "{}", at, keys)),
                        List.of()));
    }

    @Override
    public void close() throws SQLException {
        if (schema != null) {
            schema.close();
        }
    }
}
