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
    private ChainVerifier() {}

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
                    if (seq != expectedSeq) {
                        // The op that belongs here is missing: the break is at the seq that is absent.
                        return new Storage.ContinuityCheck(
                                head(tenant, expectedSeq - 1, previous),
                                expectedSeq,
                                "op " + expectedSeq + " is missing: the next stored op is " + seq
                                        + " (a row was removed, or one was inserted with a later seq)",
                                redacted);
                    }
                    final String problem = check(rs, tenant, seq, previous);
                    if (problem != null) {
                        return new Storage.ContinuityCheck(
                                head(tenant, expectedSeq - 1, previous), seq, problem, redacted);
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

    /** What is wrong with the op at {@code seq}, which follows the verified chain ending in {@code previous}. */
    private static String check(final ResultSet rs, final String tenant, final long seq, final byte[] previous)
            throws SQLException {
        if (!Arrays.equals(previous, bytes(rs.getString(4)))) {
            return "prev_hash does not match the hash of op " + (seq - 1) + " (op " + (seq - 1) + " was replaced, "
                    + "or this row was inserted or its prev_hash changed)";
        }
        final byte[] payload = rs.getString(3).getBytes(StandardCharsets.UTF_8);
        final byte[] digest = bytes(rs.getString(6));
        rs.getLong(7);
        final boolean redacted = !rs.wasNull();
        if (!redacted && !Arrays.equals(ContinuityChain.digest(payload), digest)) {
            return "payload does not match its digest (the row's payload was changed)";
        }
        if (!Arrays.equals(ContinuityChain.link(previous, digest), bytes(rs.getString(5)))) {
            return "hash does not match SHA-256(prev_hash || payload_digest) (the row's digest or hash was changed)";
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
