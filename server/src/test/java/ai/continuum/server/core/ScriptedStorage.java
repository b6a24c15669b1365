package ai.continuum.server.core;

import ai.continuum.engine.Delta;
import ai.continuum.server.storage.ApiKeys;
import ai.continuum.server.storage.ChangeSignals;
import ai.continuum.server.storage.IdempotencyClaim;
import ai.continuum.server.storage.IdempotencyKeys;
import ai.continuum.server.storage.InstanceLease;
import ai.continuum.server.storage.OptimizeReport;
import ai.continuum.server.storage.QueueFullException;
import ai.continuum.server.storage.Storage;
import ai.continuum.server.storage.StorageOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * Storage whose answers a test scripts: accept and commit at once, refuse with a full queue, or hand back a future
 * the test completes (or fails) by hand. Used only for the failure paths a real database cannot be made to take on
 * cue; the success paths are tested against real SQLite.
 */
public final class ScriptedStorage implements Storage {
    public enum Mode {
        COMMIT,
        QUEUE_FULL,
        PENDING,
        UNAVAILABLE
    }

    public volatile Mode mode = Mode.COMMIT;
    final List<StorageOp> accepted = new ArrayList<>();
    final List<CompletableFuture<ContinuityHead>> pending = new ArrayList<>();

    @Override
    public synchronized CompletableFuture<ContinuityHead> submit(final StorageOp op) {
        return switch (mode) {
            case QUEUE_FULL -> throw new QueueFullException(7, 3);
            case UNAVAILABLE ->
                throw new ai.continuum.server.storage.StorageUnavailableException(
                        "cannot commit: org.postgresql.util.PSQLException: FATAL: database \"tenants_prod\" does not exist "
                                + "(SQLState 3D000)",
                        null);
            case COMMIT -> {
                accepted.add(op);
                yield CompletableFuture.completedFuture(new ContinuityHead(op.tenant(), accepted.size(), "00"));
            }
            case PENDING -> {
                accepted.add(op);
                final CompletableFuture<ContinuityHead> f = new CompletableFuture<>();
                pending.add(f);
                yield f;
            }
        };
    }

    @Override
    public CompletableFuture<ContinuityHead> submit(final StorageOp op, final IdempotencyClaim claim) {
        throw new UnsupportedOperationException("this storage keeps no idempotency keys");
    }

    /** None: the tests over this storage send no {@code Idempotency-Key}. */
    @Override
    public IdempotencyKeys idempotencyKeys() {
        return null;
    }

    @Override
    public SortedMap<String, Long> load(final BiConsumer<String, Delta> sink) {
        return new TreeMap<>();
    }

    @Override
    public SortedMap<String, Long> heads() {
        return new TreeMap<>();
    }

    @Override
    public Optional<String> hashAt(final String tenant, final long seq) {
        return Optional.empty();
    }

    @Override
    public Optional<ChangeSignals> openSignals() {
        return Optional.empty();
    }

    @Override
    public InstanceLease instanceLease() {
        return InstanceLease.single();
    }

    @Override
    public javax.sql.DataSource federationPool() {
        throw new UnsupportedOperationException("a scripted storage has no database");
    }

    @Override
    public Page<StoredMemory> memories(final String tenant, final MemoryQuery query) {
        return new Page<>(List.of(), 0);
    }

    @Override
    public Optional<StoredMemory> memory(final String tenant, final long memoryId) {
        return Optional.empty();
    }

    @Override
    public ApiKeys apiKeys() {
        throw new UnsupportedOperationException("no keys in this test");
    }

    @Override
    public ContinuityHead continuity(final String tenant) {
        return new ContinuityHead(tenant, 0, "");
    }

    @Override
    public void loadForgottenMemories(final BiConsumer<String, Long> sink) {}

    @Override
    public List<String> tenants() {
        return List.of();
    }

    @Override
    public List<Change> changes(final String tenant, final long afterSeq, final int limit) {
        return List.of();
    }

    @Override
    public int export(
            final String tenantOrNull,
            final boolean includeMemories,
            final ai.continuum.server.storage.ExportSink sink) {
        return 0;
    }

    @Override
    public CompletableFuture<ai.continuum.server.storage.ImportOutcome> importState(
            final ai.continuum.server.storage.ImportJob job) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("scripted storage imports nothing"));
    }

    @Override
    public long conceptCount() {
        return 0;
    }

    @Override
    public ContinuityCheck verifyContinuity(final String tenant) {
        return new ContinuityCheck(continuity(tenant), 0, null, 0);
    }

    @Override
    public OptimizeReport optimize(final boolean vacuum) {
        return new OptimizeReport("scripted", "in memory", List.of(), List.of(), 0, 0, 0);
    }

    @Override
    public boolean isReachable() {
        return true;
    }

    @Override
    public int queueDepth() {
        return pending.size();
    }

    @Override
    public void close() {}
}
