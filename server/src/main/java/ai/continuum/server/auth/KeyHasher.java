package ai.continuum.server.auth;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Slow salted hashing of API keys: PBKDF2-HMAC-SHA256, 32-byte random salt, stored as
 * {@code pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>} so the iteration count can be raised later without
 * breaking existing keys. Verification compares with {@link MessageDigest#isEqual} (constant time). Thread-safe.
 */
public final class KeyHasher {
    /**
     * The original service's count (docs/COMPATIBILITY.md). Keys carry 256 random bits, so brute force is out of reach at any
     * count; the slow hash only bounds the damage of a leaked table. A verification costs tens of milliseconds here,
     * paid once per key per cache period, not per request.
     */
    public static final int DEFAULT_ITERATIONS = 100_000;
    private static final String SCHEME = "pbkdf2-sha256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int iterations;

    public KeyHasher(final int iterations) {
        if (iterations < 1_000) {
            throw new IllegalArgumentException("iterations=" + iterations + " must be >= 1000");
        }
        this.iterations = iterations;
    }

    public String hash(final String key) {
        final byte[] salt = new byte[32];
        RANDOM.nextBytes(salt);
        final Base64.Encoder b64 = Base64.getEncoder();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$"
            + b64.encodeToString(pbkdf2(key, salt, iterations));
    }

    /** Whether {@code key} matches {@code stored}; false (never an exception) for a malformed stored value. */
    public boolean verify(final String key, final String stored) {
        final String[] parts = stored.split("\\$");
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
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}
