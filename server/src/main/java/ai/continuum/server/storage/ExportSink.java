package ai.continuum.server.storage;

import ai.continuum.engine.Delta;

/**
 * Receives one read snapshot of stored state from {@link Storage#export}, tenant by tenant: {@link #beginTenant},
 * then the tenant's state as deltas in the order concepts, links, compounds, memories, decisions (each delta holds one
 * kind of item), then its forgotten memory ids, then {@link #endTenant}.
 *
 * <p>Called on the exporting thread; an exception thrown here aborts the export and reaches its caller.
 */
public interface ExportSink {
    /**
     * A tenant begins at {@code head}; {@code seal} seals its content digest at that head for the document (see
     * {@link ExportSeal}; {@link ExportSeal#NONE} when the store has no key).
     */
    void beginTenant(Storage.ContinuityHead head, ExportSeal seal);

    void delta(Delta delta);

    void forgottenMemory(long memoryId);

    void endTenant();
}
