package ai.continuum.server.core;

import ai.continuum.engine.EngineConfig;
import ai.continuum.server.storage.StorageLoading;

/**
 * Sizes the engine's dictionaries for the state it is about to load: the configured size, or twice the concepts
 * storage holds when that is more. A dictionary can outgrow its size only so far (see {@code StringIndex}), so a
 * store that grew past the configuration must still restart, and has room to grow again.
 */
public final class EngineSizing {
    private EngineSizing() {}

    public static EngineConfig forStored(final EngineConfig configured, final StorageLoading storage) {
        final long wanted = Math.multiplyExact(storage.conceptCount(), 2L);
        return wanted > configured.expectedConcepts() ? configured.withExpectedConcepts(wanted) : configured;
    }
}
