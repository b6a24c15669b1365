package ai.continuum.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads a tenant's stored chain head on a given connection (inside the caller's transaction or snapshot). */
final class ChainHeads {
    private ChainHeads() {
    }

    /** The last change-log row's position and hash, or length 0 at the seed for a tenant with no ops. */
    static Storage.ContinuityHead read(final Connection connection, final String tenant) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
            "SELECT seq, hash FROM change_log WHERE tenant_id = ? ORDER BY seq DESC LIMIT 1")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Storage.ContinuityHead(tenant, rs.getLong(1), rs.getString(2))
                    : new Storage.ContinuityHead(tenant, 0, ContinuityChain.seedHex());
            }
        }
    }
}
