package ai.continuum.server.federation;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * How a node proves who sends a request: an Ed25519 signature over the method, the path (with its query), the node
 * id, a timestamp, a random nonce and the SHA-256 of the body, in the headers {@link #NODE}, {@link #TIMESTAMP},
 * {@link #NONCE} and {@link #SIGNATURE}. A body changed after signing, another path or method, or another node's id
 * fails verification; the coordinator refuses timestamps outside its skew window and a nonce it has seen (replay).
 *
 * <p>Ed25519 rather than a shared HMAC secret: the coordinator stores only each node's public key, so its database
 * (or a backup of it) cannot be used to forge a node's requests. Stateless.
 */
public final class RequestSignature {
    public static final String NODE = "Continuum-Node";
    public static final String TIMESTAMP = "Continuum-Timestamp";
    public static final String NONCE = "Continuum-Nonce";
    public static final String SIGNATURE = "Continuum-Signature";
    private static final String ALGORITHM = "Ed25519";
    private static final SecureRandom RANDOM = new SecureRandom();

    private RequestSignature() {}

    /** The headers to send with one request. */
    public record Headers(String node, long timestamp, String nonce, String signature) {}

    /** A new node key pair. */
    public static KeyPair newKeyPair() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("Ed25519 is unavailable", e);
        }
    }

    public static String encodePublic(final PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    public static String encodePrivate(final PrivateKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /** A public key from {@link #encodePublic}; IllegalArgumentException when it is not an Ed25519 key. */
    public static PublicKey decodePublic(final String base64) {
        try {
            return KeyFactory.getInstance(ALGORITHM)
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (final GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an Ed25519 public key (base64 of its X.509 encoding)", e);
        }
    }

    public static PrivateKey decodePrivate(final String base64) {
        try {
            return KeyFactory.getInstance(ALGORITHM)
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (final GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an Ed25519 private key", e);
        }
    }

    /** Signs one request now. */
    public static Headers sign(
            final PrivateKey key,
            final String node,
            final String method,
            final String pathAndQuery,
            final byte[] body,
            final long epochSeconds) {
        final byte[] nonceBytes = new byte[16];
        RANDOM.nextBytes(nonceBytes);
        final String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(nonceBytes);
        try {
            final Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(key);
            signer.update(canonical(node, method, pathAndQuery, body, epochSeconds, nonce));
            return new Headers(node, epochSeconds, nonce, Base64.getEncoder().encodeToString(signer.sign()));
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the node key", e);
        }
    }

    /** Whether {@code signature} (base64) is {@code key}'s signature of exactly this request. */
    public static boolean verify(
            final PublicKey key,
            final String node,
            final String method,
            final String pathAndQuery,
            final byte[] body,
            final long epochSeconds,
            final String nonce,
            final String signature) {
        try {
            final Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            verifier.update(canonical(node, method, pathAndQuery, body, epochSeconds, nonce));
            return verifier.verify(Base64.getDecoder().decode(signature));
        } catch (final GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** One field a line, so no field can absorb another's text. */
    static byte[] canonical(
            final String node,
            final String method,
            final String pathAndQuery,
            final byte[] body,
            final long epochSeconds,
            final String nonce) {
        final String text = "continuum-federation-v1\n" + method + "\n" + pathAndQuery + "\n" + node + "\n"
                + epochSeconds + "\n" + nonce + "\n" + sha256Hex(body);
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public static String sha256Hex(final byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }
}
