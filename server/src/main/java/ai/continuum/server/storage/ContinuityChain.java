package ai.continuum.server.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The continuity hash chain of a tenant's committed history:
 * {@code hash(n) = SHA-256(hash(n-1) || SHA-256(payload(n)))} over the raw 32-byte previous hash and the digest of the
 * op's {@link OpCodec canonical} bytes, starting from {@link #SEED} {@code = SHA-256("5.083203692315260")} (π×φ). It
 * proves the stored history was not altered behind the API; it is not a credential.
 *
 * <p>The chain links payload digests rather than payloads so that a payload can later be redacted (a forgotten
 * memory's text removed from the change log) while its digest keeps the chain verifiable.
 *
 * <p>Thread safety: static functions; each call uses its own digest.
 */
public final class ContinuityChain {
    /** π×φ, written the way the seed writes it. */
    public static final String PI_PHI = "5.083203692315260";

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] SEED = sha256().digest(PI_PHI.getBytes(StandardCharsets.US_ASCII));

    private ContinuityChain() {}

    /** The head of an empty chain. */
    public static byte[] seed() {
        return SEED.clone();
    }

    public static String seedHex() {
        return HEX.formatHex(SEED);
    }

    public static byte[] next(final byte[] previous, final byte[] payload) {
        return link(previous, digest(payload));
    }

    /** SHA-256 of an op's canonical bytes: what the chain links, and what stays when a payload is redacted. */
    public static byte[] digest(final byte[] payload) {
        return sha256().digest(payload);
    }

    /** The hash after {@code previous} of the op whose payload digest is {@code payloadDigest}. */
    public static byte[] link(final byte[] previous, final byte[] payloadDigest) {
        final MessageDigest md = sha256();
        md.update(previous);
        md.update(payloadDigest);
        return md.digest();
    }

    public static String hex(final byte[] hash) {
        return HEX.formatHex(hash);
    }

    public static byte[] fromHex(final String hex) {
        return HEX.parseHex(hex);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
