package ai.continuum.server.storage;

import ai.continuum.engine.Delta;
import com.zaxxer.hikari.HikariDataSource;
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

/**
 * {@link Storage} over a SQL database: writes through the {@link WriteBehindWriter}, reads through a connection pool.
 * The backend-specific parts (connections, pragmas, migrations) are set up by {@link SqliteStorage} and
 * {@link PostgresStorage}; everything here is shared SQL.
 *
 * <p>Reads use plain JDBC too, so both backends share one SQL path with the writer; the few read queries are not on
 * the request hot path (recall reads the engine), and JDBC reads SQLite integers without DbClient's mapping pitfalls.
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

    private final HikariDataSource readPool;
    private final StorageSettings settings;
    private final WriteBehindWriter writer;
    private final SqlApiKeys apiKeys;

    SqlStorage(
        final SqlDialect dialect, final HikariDataSource readPool, final DataSource writerConnections,
        final StorageSettings settings, final EpochClock clock) {
        this.readPool = readPool;
        this.settings = settings;
        this.apiKeys = new SqlApiKeys(readPool, dialect);
        this.writer = new WriteBehindWriter(writerConnections, dialect, settings, clock, apiKeys);
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

    @Override
    public void load(final BiConsumer<String, Delta> sink) {
        try (Connection c = readPool.getConnection()) {
            c.setAutoCommit(false);
            try {
                new StateLoader(c, settings.loadChunkRows(), sink).loadAll();
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
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
        try (Connection c = readPool.getConnection()) {
            final long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*)" + where)) {
                bind(ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            final List<StoredMemory> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + MEMORY_COLUMNS + where
                + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?")) {
                final List<Object> paged = new ArrayList<>(args);
                paged.add(query.limit());
                paged.add(query.offset());
                bind(ps, paged);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(readMemory(rs));
                    }
                }
            }
            return new Page<>(items, total);
        } catch (final SQLException e) {
            throw new StorageUnavailableException("cannot list memories: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<StoredMemory> memory(final String tenant, final long memoryId) {
        try (Connection c = readPool.getConnection();
             PreparedStatement ps = c.prepareStatement(
                 "SELECT " + MEMORY_COLUMNS + " FROM messages WHERE tenant_id = ? AND id = ?")) {
            ps.setString(1, tenant);
            ps.setLong(2, memoryId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(readMemory(rs)) : Optional.empty();
            }
        } catch (final SQLException e) {
            throw new StorageUnavailableException("cannot read memory " + memoryId + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ApiKeys apiKeys() {
        return apiKeys;
    }

    @Override
    public List<String> tenants() {
        try (Connection c = readPool.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT tenant_id FROM tenants ORDER BY tenant_id");
             ResultSet rs = ps.executeQuery()) {
            final List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (final SQLException e) {
            throw new StorageUnavailableException("cannot list tenants: " + e.getMessage(), e);
        }
    }

    @Override
    public List<Change> changes(final String tenant, final long afterSeq, final int limit) {
        if (limit < 1 || limit > MAX_CHANGES) {
            throw new IllegalArgumentException("limit=" + limit + " must be in [1, " + MAX_CHANGES + "]");
        }
        try (Connection c = readPool.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT seq, payload, hash, committed_at FROM change_log "
                 + "WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?")) {
            ps.setString(1, tenant);
            ps.setLong(2, afterSeq);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                final List<Change> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Change(rs.getLong(1), OpCodec.decode(rs.getString(2)), rs.getString(3),
                        rs.getLong(4)));
                }
                return out;
            }
        } catch (final SQLException e) {
            throw new StorageUnavailableException("cannot read the change log: " + e.getMessage(), e);
        }
    }

    @Override
    public ContinuityHead continuity(final String tenant) {
        try (Connection c = readPool.getConnection();
             PreparedStatement ps = c.prepareStatement(
                 "SELECT seq, hash FROM change_log WHERE tenant_id = ? ORDER BY seq DESC LIMIT 1")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new ContinuityHead(tenant, rs.getLong(1), rs.getString(2))
                    : new ContinuityHead(tenant, 0, ContinuityChain.seedHex());
            }
        } catch (final SQLException e) {
            throw new StorageUnavailableException("cannot read the continuity head: " + e.getMessage(), e);
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
        if (writer.isUnavailable()) {
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
            readPool.close();
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

    private static StoredMemory readMemory(final ResultSet rs) throws SQLException {
        return new StoredMemory(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
            rs.getString(6), rs.getLong(7), OpCodec.decodeStrings(rs.getString(8)));
    }

    private static void bind(final PreparedStatement ps, final List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            ps.setObject(i + 1, args.get(i));
        }
    }
}
