package ai.continuum.server.transfer;

import ai.continuum.server.storage.ApiKeyCopy;
import java.util.List;

/**
 * What a migration did.
 *
 * @param tenants    every source tenant, in order.
 * @param targetOnly tenants the target holds that the source does not (left as they were).
 * @param keys       the API key copy, or null when keys were not copied.
 */
public record MigrationReport(List<TenantMigration> tenants, List<String> targetOnly, ApiKeyCopy.Result keys) {
    public MigrationReport {
        tenants = List.copyOf(tenants);
        targetOnly = List.copyOf(targetOnly);
    }

    /** Every tenant verified and every key copied or already present. */
    public boolean verified() {
        return tenants.stream().allMatch(TenantMigration::verified)
                && (keys == null || keys.conflicts().isEmpty());
    }
}
