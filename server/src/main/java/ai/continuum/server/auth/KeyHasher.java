package ai.continuum.server.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Stored form of API keys. New keys are stored as {@code sha256$<digest base64>}: a key carries 256 random bits
 * ({@link ApiKeyFormat}), so a fast unsalted digest is as far out of reach of brute force and of precomputed tables as a
 * slow salted one, and checking it costs microseconds, which no flood of wrong secrets can turn into CPU starvation.
 * Keys stored before that are {@code pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>}; they still verify (see
 * {@link #isSlow}) and are rewritten in the fast form on their first successful check. Verification compares with
 * {@link MessageDigest#isEqual} (constant time). Thread-safe.
 */
public final class KeyHasher {
    /**
     * The upstream PBKDF2 count (docs/COMPATIBILITY.md), for keys still stored in the PBKDF2 form and for
     * {@link #hashPbkdf2}. A PBKDF2 verification costs tens of milliseconds here.
     */
    public static final int DEFAULT_ITERATIONS = 100_000;

    private static final String SCHEME = "pbkdf2-sha256";
    private static final String FAST_SCHEME = "sha256$";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int iterations;

    public KeyHasher(final int iterations) {
        if (iterations < 1_000) {
            throw new IllegalArgumentException("iterations=" + iterations + " must be >= 1000");
        }
        this.iterations = iterations;
    }

    /** The stored form of a new key: its SHA-256. */
    public String hash(final String key) {
        return FAST_SCHEME + Base64.getEncoder().encodeToString(sha256(key));
    }

    /** The PBKDF2 form keys had before the fast one; kept to verify (and test) stored keys of that form. */
    public String hashPbkdf2(final String key) {
        final byte[] salt = new byte[32];
        RANDOM.nextBytes(salt);
        final Base64.Encoder b64 = Base64.getEncoder();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(pbkdf2(key, salt, iterations));
    }

    /** Whether verifying against {@code stored} runs the slow hash (a key stored before the fast form). */
    public static boolean isSlow(final String stored) {
        return stored.startsWith(SCHEME + "$");
    }

    /** Whether {@code key} matches {@code stored}; false (never an exception) for a malformed stored value. */
    public boolean verify(final String key, final String stored) {
        if (stored.startsWith(FAST_SCHEME)) {
            try {
                return MessageDigest.isEqual(
                        Base64.getDecoder().decode(stored.substring(FAST_SCHEME.length())), sha256(key));
            } catch (final IllegalArgumentException e) {
                return false;
            }
        }
        final String[] parts = stored.split("\\$", -1);
        if (parts.length != 4 || !SCHEME.equals(parts[0])) {
            return false;
        }
        try {
            final int rounds = Integer.parseInt(parts[1]);
            final byte[] salt = Base64.getDecoder().decode(parts[2]);
            final byte[] expected = Base64.getDecoder().decode(parts[3]);
            return MessageDigest.isEqual(expected, pbkdf2(key, salt, rounds));
        } catch (final IllegalArgumentException e) {
            return false;
        }
    }

    /** A fast digest of a key, for cache lookups and the admin key; never stored. */
    static byte[] sha256(final String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static byte[] pbkdf2(final String key, final byte[] salt, final int rounds) {
        final PBEKeySpec spec = new PBEKeySpec(key.toCharArray(), salt, rounds, 256);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(spec)
                    .getEncoded();
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}
