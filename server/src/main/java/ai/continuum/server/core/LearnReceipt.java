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
 * @param position the tenant's chain position of the committed write (a read given it sees the write on any
 *                 instance), or 0 for an async write (its position is not known when it answers).
 */
public record LearnReceipt(long memoryId, Delta delta, ApplyResult applied, boolean durable, long position) {}
