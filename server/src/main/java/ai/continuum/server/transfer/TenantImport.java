package ai.continuum.server.transfer;

/**
 * The import of one tenant section.
 *
 * @param sourceTenant the tenant the section was exported from.
 * @param tenant       the tenant it went into.
 * @param applied      false when skipped as already imported ({@code skipReason} says why).
 * @param items        items in the section.
 * @param ops          ops appended to the tenant's change log.
 * @param headLength   the tenant's continuity length afterwards.
 */
public record TenantImport(
        String sourceTenant,
        String tenant,
        boolean applied,
        String skipReason,
        long items,
        long ops,
        long headLength) {}
