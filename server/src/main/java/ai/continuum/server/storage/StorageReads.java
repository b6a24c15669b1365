package ai.continuum.server.storage;

import java.util.List;
import java.util.Optional;

/**
 * Reading: what requests read from the database rather than the engine (memory pages with their filters, the
 * continuity head, API keys).
 *
 * <p>Thread safety: every method may be called from any request thread.
 */
public interface StorageReads {

    /** Memories of one tenant, newest first, filtered. */
    Storage.Page<Storage.StoredMemory> memories(String tenant, Storage.MemoryQuery query);

    Optional<Storage.StoredMemory> memory(String tenant, long memoryId);

    /** Tenants with stored state, sorted. */
    List<String> tenants();

    /** The head of the tenant's hash chain now. */
    Storage.ContinuityHead continuity(String tenant);

    ApiKeys apiKeys();

    /**
     * Whether stored state can be read now (the database answers and is the one loaded), whatever the writes do:
     * the readiness condition, since recall serves from memory and reads need only this. Cheap.
     */
    boolean isReadable();
}
