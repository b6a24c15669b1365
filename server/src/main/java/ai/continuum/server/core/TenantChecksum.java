package ai.continuum.server.core;

/**
 * A tenant's engine checksum (an order-independent digest of its whole state; equal on two engines exactly when they
 * hold the same state) and the chain position the engine held when it was taken.
 */
public record TenantChecksum(String tenant, long position, long checksum) {}
