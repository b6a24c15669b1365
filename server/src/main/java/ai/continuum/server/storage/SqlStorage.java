package ai.continuum.server.storage;

import ai.continuum.engine.Delta;
import com.zaxxer.hikari.HikariDataSource;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.DbRow;
import org.agrona.concurrent.EpochClock;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * {@link Storage} over a SQL database: writes through the {@link WriteBehindWriter}, reads through a connection pool.
 * The backend-specific parts (connections, pragmas, migrations) are set up by {@link SqliteStorage} and
 * {@link PostgresStorage}; everything here is shared SQL.
 *
 * <p>Request reads (memories, tenants, the change log, the continuity head) and API key reads go through Helidon
 * DbClient over the read pool ({@link DbReads}), the data-access layer the platform is built on: one SQL text serves
 * both backends, DbClient binds the parameters and returns each statement's connection to the pool once its rows are
 * consumed. Each is a single statement prepared per call, as it was on JDBC, and none runs per recall (recall reads
 * the engine). Writes stay plain JDBC: the writer's batches are several times faster than DbClient, which prepares
 * every statement per call and has no batches (measured, see {@link BatchApplier}). The start-up loads
 * ({@link #load}, {@link #loadForgottenMemories}) and {@link #verifyContinuity} stay plain JDBC too: they walk whole
 * tables row by row ({@link #load} in one read transaction, {@link ChainVerifier} on one connection it is handed),
 * where DbClient would build a row object and read the column metadata for every row.
 *
 * <p>Thread safety: every public method may be called from any thread.
 */
final class SqlStorage implements Storage {
    /** Most words a memory text filter may hold; each becomes one indexed-scan predicate. */
    static final int MAX_FILTER_WORDS = 16;
    /** Largest page {@link #memories} returns. */
    static final int MAX_PAGE = 1_000;
    /** Most ops one {@link #changes} call returns. */
    static final int MAX_CHANGES = 10_000;
    private static final String MEMORY_COLUMNS =
        "id, session_id, user_message, ai_response, thinking, metadata, created_at, concepts";

    private final SqlDialect dialect;
    private final HikariDataSource readPool;
    private final DbClient reads;
    private final StorageSettings settings;
    private final WriteBehindWriter writer;
    private final SqlApiKeys apiKeys;
    private final DatabaseFileGuard fileGuard;

    SqlStorage(
        final SqlDialect dialect, final HikariDataSource readPool, final DataSource writerConnections,
        final StorageSettings settings, final EpochClock clock, final DatabaseFileGuard fileGuard) {
        this.fileGuard = fileGuard;
        this.dialect = dialect;
        this.readPool = readPool;
        this.reads = DbReads.over(readPool);
        this.settings = settings;
        this.apiKeys = new SqlApiKeys(readPool, reads, dialect);
        this.writer = new WriteBehindWriter(writerConnections, dialect, settings, clock, apiKeys, fileGuard);
    }

    /** Starts the writer thread; until then (tests) the owner drives {@link #writer()} by hand. */
    SqlStorage start() {
        writer.start();
        return this;
    }

    WriteBehindWriter writer() {
        return writer;
    }

    @Override
    public CompletableFuture<ContinuityHead> submit(final StorageOp op) {
        return writer.submit(op);
    }

    /**
     * {@inheritDoc}
     *
     * <p>On PostgreSQL the links are read on a second pooled connection (see {@link StateLoader}) when the pool has
     * one to spare beside the writer's and the main read.
     */
    @Override
    public void load(final BiConsumer<String, Delta> sink) {
        try {
            StateLoader.load(readPool, dialect, settings.loadChunkRows(), settings.readPoolSize() >= 2, sink);
        } catch (final SQLException e) {
            throw new StorageUnavailableException("cannot load the stored state: " + e.getMessage(), e);
        }
    }

    @Override
    public void loadForgottenMemories(final BiConsumer<String, Long> sink) {
        try (Connection c = readPool.getConnection();
             PreparedStatement ps = c.prepareStatement(
                 "SELECT tenant_id, memory_id FROM forgotten_memories ORDER BY tenant_id, memory_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                sink.accept(rs.getString(1), rs.getLong(2));
            }
        } catch (final SQLException e) {
            throw new StorageUnavailableException("cannot load forgotten memories: " + e.getMessage(), e);
        }
    }

    @Override
    public Page<StoredMemory> memories(final String tenant, final MemoryQuery query) {
        if (query.offset() < 0 || query.limit() < 1 || query.limit() > MAX_PAGE) {
            throw new IllegalArgumentException("offset=" + query.offset() + " must be >= 0 and limit="
                + query.limit() + " in [1, " + MAX_PAGE + "]");
        }
        final StringBuilder where = new StringBuilder(" FROM messages WHERE tenant_id = ?");
        final List<Object> args = new ArrayList<>();
        args.add(tenant);
        if (query.sessionId() != null) {
            where.append(" AND session_id = ?");
            args.add(query.sessionId());
        }
        if (query.fromMillis() != null) {
            where.append(" AND created_at >= ?");
            args.add(query.fromMillis());
        }
        if (query.toMillis() != null) {
            where.append(" AND created_at < ?");
            args.add(query.toMillis());
        }
        for (final String word : filterWords(query.text())) {
            where.append(" AND search_text LIKE ?").append(LikePatterns.ESCAPE_CLAUSE);
            args.add(LikePatterns.contains(word));
        }
        final List<Object> paged = new ArrayList<>(args);
        paged.add(query.limit());
        paged.add(query.offset());
        try {
            final long total = reads.execute().createGet("SELECT COUNT(*)" + where).params(args).execute()
                .map(row -> DbReads.integer(row, 1))
                .orElseThrow();
            final List<StoredMemory> items;
            try (Stream<DbRow> rows = reads.execute().createQuery("SELECT " + MEMORY_COLUMNS + where
                + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?").params(paged).execute()) {
                items = rows.map(SqlStorage::readMemory).toList();
            }
            return new Page<>(items, total);
        } catch (final DbClientException e) {
            throw DbReads.failure("cannot list memories", e);
        }
    }

    @Override
    public Optional<StoredMemory> memory(final String tenant, final long memoryId) {
        try {
            return reads.execute()
                .get("SELECT " + MEMORY_COLUMNS + " FROM messages WHERE tenant_id = ? AND id = ?", tenant, memoryId)
                .map(SqlStorage::readMemory);
        } catch (final DbClientException e) {
            throw DbReads.failure("cannot read memory " + memoryId, e);
        }
    }

    @Override
    public ApiKeys apiKeys() {
        return apiKeys;
    }

    @Override
    public List<String> tenants() {
        try (Stream<DbRow> rows = reads.execute().query("SELECT tenant_id FROM tenants ORDER BY tenant_id")) {
            return rows.map(row -> DbReads.text(row, "tenant_id")).toList();
        } catch (final DbClientException e) {
            throw DbReads.failure("cannot list tenants", e);
        }
    }

    @Override
    public List<Change> changes(final String tenant, final long afterSeq, final int limit) {
        if (limit < 1 || limit > MAX_CHANGES) {
            throw new IllegalArgumentException("limit=" + limit + " must be in [1, " + MAX_CHANGES + "]");
        }
        try (Stream<DbRow> rows = reads.execute().query("SELECT seq, payload, hash, committed_at FROM change_log "
            + "WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?", tenant, afterSeq, limit)) {
            return rows.map(row -> new Change(DbReads.integer(row, "seq"),
                OpCodec.decode(DbReads.text(row, "payload")), DbReads.text(row, "hash"),
                DbReads.integer(row, "committed_at"))).toList();
        } catch (final DbClientException e) {
            throw DbReads.failure("cannot read the change log", e);
        }
    }

    @Override
    public ContinuityHead continuity(final String tenant) {
        try {
            return reads.execute()
                .get("SELECT seq, hash FROM change_log WHERE tenant_id = ? ORDER BY seq DESC LIMIT 1", tenant)
                .map(row -> new ContinuityHead(tenant, DbReads.integer(row, "seq"), DbReads.text(row, "hash")))
                .orElseGet(() -> new ContinuityHead(tenant, 0, ContinuityChain.seedHex()));
        } catch (final DbClientException e) {
            throw DbReads.failure("cannot read the continuity head", e);
        }
    }

    @Override
    public ContinuityCheck verifyContinuity(final String tenant) {
        try (Connection c = readPool.getConnection()) {
            return ChainVerifier.verify(c, tenant);
        } catch (final SQLException e) {
            throw new StorageUnavailableException("cannot read the change log: " + e.getMessage(), e);
        }
    }

    /** False while the writer cannot commit, or when no pooled connection answers within a second. */
    @Override
    public boolean isReachable() {
        if (writer.isUnavailable() || !fileGuard.holds()) {
            return false;
        }
        try (Connection c = readPool.getConnection()) {
            return c.isValid(1);
        } catch (final SQLException e) {
            return false;
        }
    }

    @Override
    public int queueDepth() {
        return writer.queueDepth();
    }

    @Override
    public void close() {
        try {
            writer.close();
        } finally {
            try {
                reads.close();
            } finally {
                readPool.close();
            }
        }
    }

    /** The words of a text filter, lower-cased like {@code messages.search_text}; each must occur as a substring. */
    static List<String> filterWords(final String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        final String[] words = text.strip().toLowerCase(Locale.ROOT).split("\\s+");
        if (words.length > MAX_FILTER_WORDS) {
            throw new IllegalArgumentException("text filter has " + words.length + " words; at most "
                + MAX_FILTER_WORDS + " are allowed");
        }
        return List.of(words);
    }

    private static StoredMemory readMemory(final DbRow row) {
        return new StoredMemory(DbReads.integer(row, "id"), DbReads.text(row, "session_id"),
            DbReads.text(row, "user_message"), DbReads.text(row, "ai_response"), DbReads.text(row, "thinking"),
            DbReads.text(row, "metadata"), DbReads.integer(row, "created_at"),
            OpCodec.decodeStrings(DbReads.text(row, "concepts")));
    }
}
