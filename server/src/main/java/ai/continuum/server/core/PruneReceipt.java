package ai.continuum.server.core;

import ai.continuum.engine.PruneReport;

/**
 * A committed prune: the engine's report of it and the tenant's chain position it was committed at (a read on another
 * instance given that position sees the links gone).
 */
public record PruneReceipt(PruneReport report, long position) {}
