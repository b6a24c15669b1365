package ai.continuum.server.transfer;

import java.util.List;

/** What a full validation pass over an export document found; only a valid document yields one. */
public record DocumentScan(
        int version, String exportedAt, String productVersion, boolean includesMemories, List<TenantSection> tenants) {
    public long items() {
        return tenants.stream().mapToLong(TenantSection::items).sum();
    }
}
