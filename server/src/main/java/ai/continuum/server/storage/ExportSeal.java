package ai.continuum.server.storage;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The store's word that an export document's tenant section is that tenant's own state at the continuity head the
 * section records: HMAC-SHA-256, under a key only this store's database holds ({@code store_secrets}, migration V8),
 * over the tenant, the head's length and hash, and the digest of the section's content.
 *
 * <p>Why a seal: an export holds state (concepts, summed link counts, memories), not the ops that built it, and ops in
 * the change log may since have been redacted by a forget, so the head cannot be recomputed from the document. A merge
 * skips a document whose head is a position of the tenant's own chain ("everything in it is already here"); without
 * the seal, a document whose content was changed but whose head was kept would pass as that state and be silently
 * skipped. The seal is made while exporting and verified while importing, so export stays a read-only snapshot (the
 * CLI's {@code export} beside a running server) and no per-export record is written.
 *
 * <p>Thread safety: immutable; each call uses its own {@link Mac}.
 */
public final class ExportSeal {
    /** A store without a key (one not migrated to V8): seals nothing, vouches for nothing. */
    public static final ExportSeal NONE = new ExportSeal(null);

    private static final HexFormat HEX = HexFormat.of();
    private static final String CONTEXT = "continuum export seal v1";

    private final byte[] key;

    private ExportSeal(final byte[] key) {
        this.key = key;
    }

    /** The store's seal key, read on {@code connection} (inside the caller's snapshot or transaction). */
    static ExportSeal read(final Connection connection) throws SQLException {
        try (PreparedStatement ps =
                        connection.prepareStatement("SELECT secret FROM store_secrets WHERE name = 'export_seal'");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new ExportSeal(HEX.parseHex(rs.getString(1))) : NONE;
        }
    }

    /** The seal of a section with content digest {@code digestHex} exported at {@code head}; null without a key. */
    public String seal(final Storage.ContinuityHead head, final String digestHex) {
        return key == null ? null : HEX.formatHex(mac(head, digestHex));
    }

    /** Whether {@code sealHex} is this store's seal of {@code digestHex} at {@code head} (false without a key). */
    boolean vouches(final Storage.ContinuityHead head, final String digestHex, final String sealHex) {
        if (key == null || sealHex == null || !sealHex.matches("[0-9a-f]{64}")) {
            return false;
        }
        return MessageDigest.isEqual(mac(head, digestHex), HEX.parseHex(sealHex));
    }

    private byte[] mac(final Storage.ContinuityHead head, final String digestHex) {
        try {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            // Newline-separated fields: a tenant name holds no newline (ServerConfig.TENANT_PATTERN), and the rest
            // are a number and hex, so no two different inputs give the same text.
            final String text = CONTEXT
                    + '\n'
                    + head.tenant()
                    + '\n'
                    + head.length()
                    + '\n'
                    + head.headHex()
                    + '\n'
                    + digestHex
                    + '\n';
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HmacSHA256", e);
        }
    }
}
