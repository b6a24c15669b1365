package ai.continuum.server.storage;

/** Maintenance: exports, the continuity proof and the planner's upkeep; what the operator's commands run. */
public interface StorageMaintenance extends StateExport {

    /**
     * Streams stored state for an export, all of it in one read snapshot: for each tenant (every stored tenant,
     * sorted, when {@code tenantOrNull} is null) its continuity head, its state as {@link StorageLoading#load} gives it
     * (memories only when {@code includeMemories}; decisions always) and its forgotten memory ids.
     *
     * @return the number of tenants exported (0 when the named tenant has no stored state).
     */
    @Override
    int export(String tenantOrNull, boolean includeMemories, ExportSink sink);

    /**
     * Recomputes the tenant's hash chain from the stored change log and checks every link (sequence without gaps,
     * each {@code prev_hash} equal to the previous hash, each hash following from its predecessor and payload by
     * {@link ContinuityChain#next}).
     */
    Storage.ContinuityCheck verifyContinuity(String tenant);

    /**
     * Refreshes the query planner's statistics and rebuilds indexes; with {@code vacuum}, also reclaims the space of
     * deleted rows (backend specifics in {@link OptimizeReport} and the implementations). Safe beside a running
     * service: it waits for locks at most the busy timeout, then fails with {@link StorageUnavailableException} and
     * leaves the database as it was before the step that could not run.
     */
    OptimizeReport optimize(boolean vacuum);
}
