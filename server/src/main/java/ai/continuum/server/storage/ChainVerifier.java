package ai.continuum.server.storage;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * Recomputes a tenant's continuity chain from {@code change_log}, streaming, and reports the first break. Checks that
 * sequence numbers run 1, 2, 3..., that each row's {@code prev_hash} is the previous row's hash, that each
 * {@code hash} follows from the previous hash and the payload ({@link ContinuityChain#next}), and that each payload
 * is a well-formed op of this tenant of the recorded kind whose SHA-256 is the stored digest. A payload redacted by a
 * forget no longer matches its digest; the chain is checked over the digest, and redacted ops are counted.
 *
 * <p>Thread safety: static; each call uses the caller's connection.
 */
final class ChainVerifier {
    private ChainVerifier() {
    }

    static Storage.ContinuityCheck verify(final Connection c, final String tenant) throws SQLException {
        byte[] previous = ContinuityChain.seed();
        long expectedSeq = 1;
        long redacted = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, kind, payload, prev_hash, hash, payload_digest, "
            + "redacted_at FROM change_log WHERE tenant_id = ? ORDER BY seq")) {
            ps.setFetchSize(1_000);
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    final long seq = rs.getLong(1);
                    final String problem = check(rs, tenant, seq, expectedSeq, previous);
                    if (problem != null) {
                        return new Storage.ContinuityCheck(head(tenant, expectedSeq - 1, previous), seq, problem,
                            redacted);
                    }
                    previous = ContinuityChain.link(previous, bytes(rs.getString(6)));
                    rs.getLong(7);
                    redacted += rs.wasNull() ? 0 : 1;
                    expectedSeq++;
                }
            }
        }
        return new Storage.ContinuityCheck(head(tenant, expectedSeq - 1, previous), 0, null, redacted);
    }

    private static String check(
        final ResultSet rs, final String tenant, final long seq, final long expectedSeq, final byte[] previous)
        throws SQLException {
        if (seq != expectedSeq) {
            return "sequence jumps from " + (expectedSeq - 1) + " to " + seq;
        }
        if (!Arrays.equals(previous, bytes(rs.getString(4)))) {
            return "prev_hash does not match the hash of op " + (seq - 1);
        }
        final byte[] payload = rs.getString(3).getBytes(StandardCharsets.UTF_8);
        final byte[] digest = bytes(rs.getString(6));
        rs.getLong(7);
        final boolean redacted = !rs.wasNull();
        if (!redacted && !Arrays.equals(ContinuityChain.digest(payload), digest)) {
            return "payload does not match its digest";
        }
        if (!Arrays.equals(ContinuityChain.link(previous, digest), bytes(rs.getString(5)))) {
            return "hash does not match SHA-256(prev_hash || payload_digest)";
        }
        try {
            final StorageOp op = OpCodec.decode(payload);
            if (!op.tenant().equals(tenant) || !OpCodec.kind(op).equals(rs.getString(2))) {
                return "payload is an op of another tenant or kind";
            }
        } catch (final IllegalArgumentException e) {
            return "payload is not a well-formed op: " + e.getMessage();
        }
        return null;
    }

    private static byte[] bytes(final String hex) {
        try {
            return ContinuityChain.fromHex(hex);
        } catch (final IllegalArgumentException e) {
            return new byte[0];
        }
    }

    private static Storage.ContinuityHead head(final String tenant, final long length, final byte[] hash) {
        return new Storage.ContinuityHead(tenant, length, ContinuityChain.hex(hash));
    }
}
