package ai.continuum.engine.semantic;

/**
 * Where the semantic index keeps the vectors it computed, so that a restarted or newly joined process takes them
 * instead of running the model again (the server's SQL table). The index asks it before it embeds a memory and tells
 * it every vector it computed. Vectors are identified by tenant, memory id and model name: a vector computed by
 * another model (or another version of it) is never taken.
 *
 * <p>{@link #find} and {@link #save} are called on the index's embedding thread, {@link #dropped} on the engine's
 * writer; none may block for long (a save is expected to queue the write, not perform it). {@link #save} and
 * {@link #dropped} are called under one lock of the index, so the store sees them in the order they happened.
 */
public interface StoredVectors {
    /** Keeps nothing and finds nothing: every memory is embedded by the model. */
    StoredVectors NONE = new StoredVectors() {
        @Override
        public void find(
                final String tenant, final long[] memoryIds, final int count, final String model, final Found found) {}

        @Override
        public void save(
                final String tenant,
                final long memoryId,
                final String model,
                final byte[] quantised,
                final float scale) {}
    };

    /** Receives a stored vector: its memory, its quantised dimensions (length of the index's dimensions), its scale. */
    @FunctionalInterface
    interface Found {
        void vector(long memoryId, byte[] quantised, float scale);
    }

    /**
     * Calls {@code found} once for each of {@code memoryIds[0..count)} of {@code tenant} that has a stored vector of
     * {@code model}; the others are embedded by the model afterwards. A failure to read is the implementation's to
     * log: those memories are then embedded.
     */
    void find(String tenant, long[] memoryIds, int count, String model, Found found);

    /**
     * Keeps the vector the model computed for a memory ({@code quantised} is the caller's: copy it to keep it). Only
     * for a memory still live when this is called: a memory forgotten meanwhile gets no call.
     */
    void save(String tenant, long memoryId, String model, byte[] quantised, float scale);

    /**
     * Told that the engine forgot every memory of {@code tenant} at once (a replace or a clear, which leave no
     * tombstones), or was told to and held none of the tenant's: the store hears of every drop. Every {@link #save}
     * of a vector of those memories came before this call, none comes after it; a save after it is of a memory the
     * tenant received since.
     */
    default void dropped(final String tenant) {}
}
