package ai.continuum.server.storage;

/**
 * An {@code Idempotency-Key} claimed by a write: inserted in the same transaction as the write's op, so the key is
 * stored exactly when the write is. If the key is already stored (and younger than {@code windowStartMs}), the op is
 * not applied and its future fails with {@link DuplicateRequestException}.
 *
 * @param requestHash   SHA-256 hex of the request, to refuse a key reused for a different request.
 * @param memoryId      the memory the write creates (its identity in the original answer).
 * @param windowStartMs rows created before this (epoch ms) have expired and may be claimed again.
 */
public record IdempotencyClaim(String tenant, String key, String requestHash, long memoryId, long windowStartMs) {}
