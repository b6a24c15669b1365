package ai.continuum.server.embed;

import ai.continuum.engine.EngineConfig;
import ai.continuum.engine.RecallResult;
import ai.continuum.engine.Turn;
import ai.continuum.server.SemanticModel;
import ai.continuum.server.config.ConfigKey;
import ai.continuum.server.config.ServerConfig;
import ai.continuum.server.core.ContinuumCore;
import ai.continuum.server.core.InProcessCore;
import ai.continuum.server.core.LearnReceipt;
import ai.continuum.server.storage.ImportMode;
import ai.continuum.server.storage.OptimizeReport;
import ai.continuum.server.storage.PostgresStorage;
import ai.continuum.server.storage.SqliteStorage;
import ai.continuum.server.storage.Storage;
import ai.continuum.server.storage.StorageSettings;
import ai.continuum.server.storage.Storages;
import ai.continuum.server.transfer.DataTransfer;
import ai.continuum.server.transfer.ExportReport;
import ai.continuum.server.transfer.TenantImport;
import ai.continuum.server.transfer.TransferProgress;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Continuum inside a Java application, without a server: the engine and storage opened in this process, the engine
 * rebuilt from storage when built. Learn, recall, export and import work as through the HTTP API (a learn is durable
 * when it returns; an import is committed, then applied to the live engine).
 *
 * <pre>{@code
 * try (Continuum sqlite = Continuum.builder().storageBackend("sqlite").storagePath(Path.of("./data.db")).build()) {
 *     data = sqlite.exportAll();
 * }
 * try (Continuum pg = Continuum.builder().storageBackend("postgresql")
 *         .connectionString("postgresql://user:pass@host/db").build()) {
 *     pg.importAll(data);
 * }
 * }</pre>
 *
 * <p>The JVM needs the flags the server runs with (Chronicle Map's {@code --add-opens}/{@code --add-exports}, listed
 * in {@code continuum-jvm.flags} inside the jar). One instance per database is expected: another process writing the
 * same database (a server) is not seen by this instance's engine until it is built again.
 *
 * <p>Thread safety: every method may be called from any thread, except {@link #close}, which must come last.
 */
public final class Continuum implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String tenant;
    private final InProcessCore opened;
    private final ContinuumCore core;

    private Continuum(final String tenant, final InProcessCore opened) {
        this.tenant = tenant;
        this.opened = opened;
        this.core = opened.core();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The tenant that {@link #learn} and {@link #recall} act on. */
    public String tenant() {
        return tenant;
    }

    /** Learns one turn; durable (committed to storage) and visible to recall when it returns. */
    public LearnReceipt learn(final String userText, final String aiText) {
        return learn(userText, aiText, null, null);
    }

    /**
     * Learns one turn of a session, with metadata stored beside the memory as a JSON object.
     *
     * @param sessionId the conversation the turn belongs to, or null.
     * @param metadata  values Jackson can write as JSON, or null.
     */
    public LearnReceipt learn(
            final String userText, final String aiText, final String sessionId, final Map<String, ?> metadata) {
        Objects.requireNonNull(userText, "userText");
        Objects.requireNonNull(aiText, "aiText");
        final Turn turn = new Turn(
                core.nextMemoryId(),
                userText,
                aiText,
                "",
                sessionId,
                metadataJson(metadata),
                System.currentTimeMillis());
        return core.learn(tenant, turn, false);
    }

    /** Recalls with the engine's default limits. */
    public RecallResult recall(final String query) {
        return recall(
                query, core.engineConfig().maxConcepts(), core.engineConfig().maxMemories());
    }

    /**
     * Recalls what the default tenant knows about {@code query}.
     *
     * @param maxConcepts 1..{@link EngineConfig#MAX_CONCEPTS_LIMIT}
     * @param maxMemories 0..{@link EngineConfig#MAX_MEMORIES_LIMIT}
     */
    public RecallResult recall(final String query, final int maxConcepts, final int maxMemories) {
        Objects.requireNonNull(query, "query");
        if (maxConcepts < 1
                || maxConcepts > EngineConfig.MAX_CONCEPTS_LIMIT
                || maxMemories < 0
                || maxMemories > EngineConfig.MAX_MEMORIES_LIMIT) {
            throw new IllegalArgumentException("maxConcepts must be in [1, " + EngineConfig.MAX_CONCEPTS_LIMIT
                    + "] and maxMemories in [0, " + EngineConfig.MAX_MEMORIES_LIMIT + "], got " + maxConcepts + " and "
                    + maxMemories);
        }
        return core.recall(tenant, query, maxConcepts, maxMemories);
    }

    /**
     * The export document of every tenant, memories included, as one string: for moderate amounts of data (it is
     * held in memory whole); {@link #exportAll(OutputStream)} streams instead.
     */
    public String exportAll() {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        exportAll(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Streams the export document of every tenant, memories included, to {@code out} (not closed). */
    public ExportReport exportAll(final OutputStream out) {
        try {
            return DataTransfer.export(core.exports(), out, false, null, true, TransferProgress.NONE);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write the export: " + e.getMessage(), e);
        }
    }

    /**
     * Merges an export document (as {@link #exportAll()} returns it) into this storage and the live engine, each
     * tenant into the tenant of its name. Idempotent: a document already merged changes nothing the second time.
     *
     * @throws ai.continuum.server.transfer.InvalidDocumentException when the document is not a valid export (nothing
     *                                                              was imported then).
     */
    public List<TenantImport> importAll(final String document) {
        Objects.requireNonNull(document, "document");
        Path file = null;
        try {
            file = Files.createTempFile("continuum-import-", ".json");
            Files.writeString(file, document, StandardCharsets.UTF_8);
            return importAll(file);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot stage the document for import: " + e.getMessage(), e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (final IOException ignored) {
                    // Best effort: a temporary file the OS cleans up.
                }
            }
        }
    }

    /** {@link #importAll(String)} from a file, plain or gzip. */
    public List<TenantImport> importAll(final Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " is not a readable file");
        }
        return DataTransfer.importFile(file, ImportMode.MERGE, null, core::importState, TransferProgress.NONE);
    }

    /**
     * Tidies the database: on SQLite ANALYZE and REINDEX, plus VACUUM when {@code vacuum}; on PostgreSQL ANALYZE, or
     * VACUUM (ANALYZE). The report names each step and the size before and after.
     */
    public OptimizeReport optimize(final boolean vacuum) {
        return core.optimize(vacuum);
    }

    /** Drains the write queue into storage, then frees the engine. */
    @Override
    public void close() {
        opened.close();
    }

    private static String metadataJson(final Map<String, ?> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return "";
        }
        try {
            return JSON.writeValueAsString(metadata);
        } catch (final JsonProcessingException e) {
            throw new IllegalArgumentException("metadata cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Chooses the storage and tenant. Defaults: SQLite in {@code ./continuum_data}, tenant {@code default}, the
     * engine's documented parameters ({@link EngineConfig#defaults()}). Not thread-safe; may be reused.
     */
    public static final class Builder {
        private String backend;
        private Path storagePath;
        private String connectionString;
        private String tenant = "default";
        private EngineConfig engineConfig = EngineConfig.defaults();
        private boolean semanticIndex;
        private String semanticModel = ConfigKey.SEMANTIC_MODEL.defaultValue();

        private Builder() {}

        /** {@code sqlite} (the default, unless only a connection string is given) or {@code postgresql}. */
        public Builder storageBackend(final String storageBackend) {
            final String name = Objects.requireNonNull(storageBackend, "storageBackend")
                    .strip()
                    .toLowerCase(Locale.ROOT);
            backend = switch (name) {
                case Storages.SQLITE -> Storages.SQLITE;
                case Storages.POSTGRESQL, "postgres" -> Storages.POSTGRESQL;
                default ->
                    throw new IllegalArgumentException("storageBackend '" + storageBackend + "' is not one of "
                            + Storages.SQLITE + ", " + Storages.POSTGRESQL);
            };
            return this;
        }

        /**
         * SQLite only: a data directory (holding {@value SqliteStorage#FILE_NAME}) or the database file itself
         * (a path ending in {@code .db}, such as {@code ./data.db}). Default {@code ./continuum_data}.
         */
        public Builder storagePath(final Path path) {
            storagePath = Objects.requireNonNull(path, "path");
            return this;
        }

        /**
         * PostgreSQL only: {@code postgresql://USER:PASSWORD@HOST:PORT/DB} or
         * {@code jdbc:postgresql://HOST:PORT/DB?user=..&password=..}.
         */
        public Builder connectionString(final String url) {
            connectionString = Objects.requireNonNull(url, "url");
            return this;
        }

        /** The tenant that learn and recall act on (default {@code default}); export and import cover all. */
        public Builder tenant(final String name) {
            if (name == null || !ServerConfig.TENANT_PATTERN.matcher(name).matches()) {
                throw new IllegalArgumentException("tenant '" + name + "' is invalid: expected 1-128 letters, "
                        + "digits, '.', '_' or '-', starting with a letter or digit");
            }
            tenant = name;
            return this;
        }

        /**
         * The semantic index (the server's recall.semantic.enabled; default false): an in-process sentence-embedding
         * model embeds every memory in the background and recall fuses the nearest with words and graph. Needs the
         * continuum-semantic module's jar on the class path.
         */
        public Builder semanticIndex(final boolean enabled) {
            semanticIndex = enabled;
            return this;
        }

        /**
         * The semantic index's model (the server's recall.semantic.model): {@code all-minilm-l6-v2-q}, the sentence
         * model (the default), or {@code all-minilm-l6-v2-static}, its light form. Checked when {@link #open} loads it.
         */
        public Builder semanticModel(final String name) {
            semanticModel = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Engine parameters (default {@link EngineConfig#defaults()}). */
        public Builder engineConfig(final EngineConfig config) {
            engineConfig = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Opens the storage (creating the SQLite file or the PostgreSQL schema when missing) and rebuilds the engine
         * from it.
         *
         * @throws IllegalStateException when the options contradict each other or a required one is missing, or the
         *                               database cannot be opened (the message says why, without password).
         */
        public Continuum build() {
            final String chosen =
                    backend != null ? backend : connectionString != null ? Storages.POSTGRESQL : Storages.SQLITE;
            if (chosen.equals(Storages.SQLITE) && connectionString != null) {
                throw new IllegalStateException(
                        "connectionString is for the postgresql backend; the sqlite backend " + "takes storagePath");
            }
            if (chosen.equals(Storages.POSTGRESQL) && storagePath != null) {
                throw new IllegalStateException(
                        "storagePath is for the sqlite backend; the postgresql backend takes " + "connectionString");
            }
            if (chosen.equals(Storages.POSTGRESQL) && connectionString == null) {
                throw new IllegalStateException("the postgresql backend needs connectionString(\"postgresql://USER:"
                        + "PASSWORD@HOST:PORT/DB\")");
            }
            final StorageSettings settings = StorageSettings.defaults().withEngine(engineConfig);
            return new Continuum(
                    tenant,
                    InProcessCore.open(
                            engineConfig,
                            () -> open(chosen, settings),
                            semanticIndex ? SemanticModel.load(semanticModel) : null));
        }

        private Storage open(final String chosen, final StorageSettings settings) {
            final boolean sqlite = chosen.equals(Storages.SQLITE);
            final String where = sqlite
                    ? "SQLite storage at " + Storages.sqliteFile(location())
                    : "PostgreSQL storage at " + Storages.redact(connectionString);
            try {
                return sqlite
                        ? SqliteStorage.openFile(Storages.sqliteFile(location()), settings)
                        : PostgresStorage.open(connectionString, settings);
            } catch (final RuntimeException e) {
                throw new IllegalStateException("cannot open the " + where + ": " + e.getMessage(), e);
            }
        }

        private Path location() {
            return storagePath != null ? storagePath : Path.of("continuum_data");
        }
    }
}
