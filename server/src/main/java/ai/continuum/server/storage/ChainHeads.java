package ai.continuum.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.SortedMap;
import java.util.TreeMap;

/** Reads a tenant's stored chain head on a given connection (inside the caller's transaction or snapshot). */
final class ChainHeads {
    private ChainHeads() {}

    /**
     * Every tenant's chain position (the last change-log row's seq; 0 for a tenant row without ops), sorted by
     * tenant. One index probe per tenant ({@code change_log}'s primary key is {@code (tenant_id, seq)}), so it stays
     * cheap enough for the fleet's periodic catch-up poll.
     */
    static SortedMap<String, Long> all(final Connection connection) throws SQLException {
        final SortedMap<String, Long> heads = new TreeMap<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT t.tenant_id, (SELECT MAX(c.seq) FROM "
                        + "change_log c WHERE c.tenant_id = t.tenant_id) FROM tenants t ORDER BY t.tenant_id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                heads.put(rs.getString(1), rs.getLong(2));
            }
        }
        return heads;
    }

    /** The last change-log row's position and hash, or length 0 at the seed for a tenant with no ops. */
    static Storage.ContinuityHead read(final Connection connection, final String tenant) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT seq, hash FROM change_log WHERE tenant_id = ? ORDER BY seq DESC LIMIT 1")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? new Storage.ContinuityHead(tenant, rs.getLong(1), rs.getString(2))
                        : new Storage.ContinuityHead(tenant, 0, ContinuityChain.seedHex());
            }
        }
    }
}
