package ai.continuum.server.storage;

import ai.continuum.engine.Delta;
import ai.continuum.engine.semantic.StoredVectors;
import java.util.SortedMap;
import java.util.function.BiConsumer;

/** Loading: the stored state streamed into an empty engine at start (and by checks that read all of it). */
public interface StorageLoading {

    /**
     * Streams every stored tenant's state as deltas of bounded size ({@link StorageSettings#loadChunkRows} items),
     * tenant by tenant, each tenant's concepts first, then links, compounds, memories, decisions. All of it is read in
     * one snapshot. Applying the deltas to an empty engine (e.g. through {@code MemoryEngine.bulkLoad()}) rebuilds the
     * state that produced the writes, checksum for checksum.
     *
     * @return each stored tenant's chain position in the read snapshot: the loaded state is exactly its ops up to
     *         there, so following the change log after these positions misses nothing and repeats nothing.
     */
    SortedMap<String, Long> load(BiConsumer<String, Delta> sink);

    /**
     * Streams the ids of forgotten memories (tenant, memory id). A delta cannot carry these tombstones, so after
     * {@link #load} the engine should forget each, or replaying an old delta would revive a forgotten memory in the
     * engine while storage keeps it forgotten.
     */
    void loadForgottenMemories(BiConsumer<String, Long> sink);

    /** Concepts stored over all tenants: sizes the engine's dictionaries before a rebuild. */
    long conceptCount();

    /**
     * Names this database and its schema version (see {@code StoreIdentity}): an engine snapshot records it and is
     * loaded only where it is the same.
     *
     * @throws UnsupportedOperationException when this storage cannot name itself (no snapshot is used then).
     */
    default String identity() {
        throw new UnsupportedOperationException("this storage cannot name itself");
    }

    /**
     * Where the semantic index keeps its vectors and looks them up before running the model ({@code memory_vectors});
     * {@link StoredVectors#NONE} for a storage that keeps none.
     */
    default StoredVectors vectors() {
        return StoredVectors.NONE;
    }

    /** One stored vector: its tenant, memory, model, scale and quantised dimensions. */
    @FunctionalInterface
    interface VectorRows {
        void row(String tenant, long memoryId, String model, float scale, byte[] vector);
    }

    /**
     * Streams every stored vector in the order tenant, model, memory id (for a snapshot's vector section); nothing
     * for a storage that keeps none.
     */
    default void readVectors(final VectorRows sink) {}
}
