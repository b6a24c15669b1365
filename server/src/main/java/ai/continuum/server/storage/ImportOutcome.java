package ai.continuum.server.storage;

/**
 * What {@link Storage#importState} did.
 *
 * @param applied      whether anything was written; false when the import was skipped as already done.
 * @param skipReason   why it was skipped, or null when applied.
 * @param ops          ops appended to the tenant's change log.
 * @param head         the tenant's continuity head afterwards.
 */
public record ImportOutcome(boolean applied, String skipReason, long ops, Storage.ContinuityHead head) {}
