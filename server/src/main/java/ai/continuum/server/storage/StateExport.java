package ai.continuum.server.storage;

/** What an export reads: the stored state in one snapshot, streamed to a sink ({@link StorageMaintenance#export}). */
@FunctionalInterface
public interface StateExport {
    /**
     * Streams the state of {@code tenantOrNull} (every stored tenant when null) to {@code sink}.
     *
     * @return the number of tenants exported (0 when the named tenant has no stored state).
     */
    int export(String tenantOrNull, boolean includeMemories, ExportSink sink);
}
