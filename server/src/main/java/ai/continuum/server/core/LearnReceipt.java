package ai.continuum.server.core;

import ai.continuum.engine.ApplyResult;
import ai.continuum.engine.Delta;

/**
 * What a write did.
 *
 * @param memoryId the memory the turn became.
 * @param delta    what extraction produced.
 * @param applied  what applying it to the engine created.
 * @param durable  true when the write was committed before this receipt was issued; false for async writes.
 */
public record LearnReceipt(long memoryId, Delta delta, ApplyResult applied, boolean durable) {
}
