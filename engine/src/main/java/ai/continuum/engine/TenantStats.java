package ai.continuum.engine;

/** Counts of one tenant's state, by kind. */
public record TenantStats(long concepts, long links, long compounds, long memories, long decisions) {}
