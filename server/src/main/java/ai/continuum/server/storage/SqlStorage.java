package ai.continuum.server.storage;

import ai.continuum.engine.Delta;
import ai.continuum.engine.semantic.StoredVectors;
import com.zaxxer.hikari.HikariDataSource;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.DbRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.agrona.concurrent.EpochClock;

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
    private final SqlVectors vectors;
    private final IdempotencyKeys idempotencyKeys;
    private final DatabaseFileGuard fileGuard;
    /** Where the dedicated fleet connections go (PostgreSQL), or null for a single-process database. */
    private final String sharedConnectionString;

    private final InstanceLease lease;

    SqlStorage(
            final SqlDialect dialect,
            final HikariDataSource readPool,
            final DataSource writerConnections,
            final StorageSettings settings,
            final EpochClock clock,
            final DatabaseFileGuard fileGuard) {
        this(dialect, readPool, writerConnections, settings, clock, fileGuard, null);
    }

    /**
     * @param sharedConnectionString the PostgreSQL connection string when several processes may share the database
     *                               (an instance number is leased at once), else null.
     */
    SqlStorage(
            final SqlDialect dialect,
            final HikariDataSource readPool,
            final DataSource writerConnections,
            final StorageSettings settings,
            final EpochClock clock,
            final DatabaseFileGuard fileGuard,
            final String sharedConnectionString) {
        this.sharedConnectionString = sharedConnectionString;
        this.lease =
                sharedConnectionString == null ? InstanceLease.single() : InstanceLease.acquire(sharedConnectionString);
        this.fileGuard = fileGuard;
        this.dialect = dialect;
        this.readPool = readPool;
        this.reads = DbReads.over(readPool);
        this.settings = settings;
        this.apiKeys = new SqlApiKeys(readPool, reads, dialect);
        this.idempotencyKeys = new IdempotencyKeys(readPool);
        this.vectors = new SqlVectors(readPool);
        this.writer = new WriteBehindWriter(
                writerConnections, dialect, settings, clock, SideWrites.both(apiKeys, vectors), fileGuard);
        writer.origin(lease::number);
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
    public CompletableFuture<ContinuityHead> submit(final StorageOp op, final IdempotencyClaim claim) {
        return writer.submit(op, claim);
    }

    @Override
    public IdempotencyKeys idempotencyKeys() {
        return idempotencyKeys;
    }

    /**
     * {@inheritDoc}
     *
     * <p>On PostgreSQL the links are read on a second pooled connection (see {@link StateLoader}) when the pool has
     * one to spare beside the writer's and the main read.
     */
    @Override
    public SortedMap<String, Long> load(final BiConsumer<String, Delta> sink) {
        try {
            return StateLoader.load(readPool, dialect, settings.loadChunkRows(), settings.readPoolSize() >= 2, sink);
        } catch (final SQLException e) {
            throw new StorageUnavailableException("cannot load the stored state: " + e.getMessage(), e);
        }
    }

    @Override
    public StoredVectors vectors() {
        return vectors;
    }

    @Override
    public void readVectors(final VectorRows sink) {
        try (Connection c = readPool.getConnection()) {
            c.setAutoCommit(false); // PostgreSQL streams by the fetch size only inside a transaction
            try {
                SqlVectors.readAll(c, sink);
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (final SQLException e) {
            throw new StorageUnavailableException("cannot read the stored vectors: " + Failures.describe(e), e);
        }
    }

    @Override
    public SortedMap<String, Long> heads() {
        try (Connection c = readPool.getConnection()) {
            return ChainHeads.all(c);
        } catch (final SQLException e) {
            throw new StorageUnavailableException("cannot read the chain heads: " + Failures.describe(e), e);
        }
    }

    @Override
    public String identity() {
        try (Connection c = readPool.getConnection()) {
            return StoreIdentity.of(c, dialect);
        } catch (final SQLException e) {
            throw new StorageUnavailableException("cannot read the database's identity: " + Failures.describe(e), e);
        }
    }

    @Override
    public Optional<ChangeSignals> openSignals() {
        return sharedConnectionString == null
                ? Optional.empty()
                : Optional.of(new PostgresChangeSignals(sharedConnectionString, lease::number));
    }

    @Override
    public InstanceLease instanceLease() {
        return lease;
    }

    @Override
    public DataSource federationPool() {
        return readPool;
    }

    @Override
    public int export(final String tenantOrNull, final boolean includeMemories, final ExportSink sink) {
        try (Connection c = readPool.getConnection()) {
            beginSnapshot(c);
            try {
                return new StateExporter(c, settings.loadChunkRows()).export(tenantOrNull, includeMemories, sink);
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (final SQLException e) {
            throw new StorageUnavailableException("cannot export the stored state: " + e.getMessage(), e);
        }
    }

    /**
     * Starts a read transaction in which every statement sees one snapshot: SQLite's read transaction (WAL) is one;
     * PostgreSQL's default READ COMMITTED takes a snapshot per statement, so it needs REPEATABLE READ (the pool
     * resets the isolation when the connection returns).
     */
    private void beginSnapshot(final Connection c) throws SQLException {
        c.setAutoCommit(false);
        if (dialect == SqlDialect.POSTGRESQL) {
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        }
    }

    @Override
    public CompletableFuture<ImportOutcome> importState(final ImportJob job) {
        return writer.submitImport(job);
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
            throw new IllegalArgumentException("offset=" + query.offset() + " must be >= 0 and limit=" + query.limit()
                    + " in [1, " + MAX_PAGE + "]");
        }
        final MemoryFilter.Where where = MemoryFilter.of(dialect, tenant, query);
        final List<Object> paged = new ArrayList<>(where.params());
        paged.add(query.limit());
        paged.add(query.offset());
        try {
            final long total = reads.execute()
                    .createGet("SELECT COUNT(*)" + where.sql())
                    .params(where.params())
                    .execute()
                    .map(row -> DbReads.integer(row, 1))
                    .orElseThrow();
            final List<StoredMemory> items;
            try (Stream<DbRow> rows = reads.execute()
                    .createQuery(where.pageSql(MEMORY_COLUMNS, total))
                    .params(paged)
                    .execute()) {
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
    public long conceptCount() {
        try {
            return reads.execute()
                    .createGet("SELECT COUNT(*) FROM entities")
                    .execute()
                    .map(row -> DbReads.integer(row, 1))
                    .orElse(0L);
        } catch (final DbClientException e) {
            throw DbReads.failure("cannot count concepts", e);
        }
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
        try (Stream<DbRow> rows = reads.execute()
                .query(
                        "SELECT seq, payload, hash, committed_at FROM change_log "
                                + "WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                        tenant,
                        afterSeq,
                        limit)) {
            return rows.map(row -> new Change(
                            DbReads.integer(row, "seq"),
                            OpCodec.decode(DbReads.text(row, "payload")),
                            DbReads.text(row, "hash"),
                            DbReads.integer(row, "committed_at")))
                    .toList();
        } catch (final DbClientException e) {
            throw DbReads.failure("cannot read the change log", e);
        }
    }

    @Override
    public Optional<String> hashAt(final String tenant, final long seq) {
        try {
            return reads.execute()
                    .get("SELECT hash FROM change_log WHERE tenant_id = ? AND seq = ?", tenant, seq)
                    .map(row -> DbReads.text(row, "hash"));
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

    @Override
    public OptimizeReport optimize(final boolean vacuum) {
        try (Connection c = readPool.getConnection()) {
            return switch (dialect) {
                case SQLITE -> SqliteMaintenance.optimize(c, vacuum, settings.busyTimeoutMs());
                case POSTGRESQL -> PostgresMaintenance.optimize(c, vacuum, settings.busyTimeoutMs());
            };
        } catch (final SQLException e) {
            throw new StorageUnavailableException("optimize failed: " + Failures.describe(e), e);
        }
    }

    /** False while the writer cannot commit, or when no pooled connection answers within a second. */
    @Override
    public boolean isReachable() {
        return acceptsWrites() && isReadable();
    }

    @Override
    public boolean isReadable() {
        if (!fileGuard.holds()) {
            return false;
        }
        try (Connection c = readPool.getConnection()) {
            return c.isValid(1);
        } catch (final SQLException e) {
            return false;
        }
    }

    @Override
    public boolean acceptsWrites() {
        return !writer.isUnavailable();
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
                try {
                    readPool.close();
                } finally {
                    lease.close();
                }
            }
        }
    }

    private static StoredMemory readMemory(final DbRow row) {
        return new StoredMemory(
                DbReads.integer(row, "id"),
                DbReads.text(row, "session_id"),
                DbReads.text(row, "user_message"),
                DbReads.text(row, "ai_response"),
                DbReads.text(row, "thinking"),
                DbReads.text(row, "metadata"),
                DbReads.integer(row, "created_at"),
                OpCodec.decodeStrings(DbReads.text(row, "concepts")));
    }
}
