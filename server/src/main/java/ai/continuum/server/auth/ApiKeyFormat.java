package ai.continuum.server.auth;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The key format {@code cm_<keyId>_<secret>}: {@code keyId} is 16 lower-case hex characters (64 random bits, the
 * lookup handle, safe to log), {@code secret} is 43 URL-safe base64 characters (256 random bits). Only the hash of the
 * whole key is stored; the key itself is shown once, when it is created.
 */
public final class ApiKeyFormat {
    public static final String PREFIX = "cm_";
    private static final Pattern KEY = Pattern.compile("cm_([0-9a-f]{16})_([A-Za-z0-9_-]{43})");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeyFormat() {}

    public record Parsed(String keyId, String fullKey) {}

    /** A new random key. */
    public static Parsed generate() {
        final byte[] id = new byte[8];
        final byte[] secret = new byte[32];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        final String keyId = HexFormat.of().formatHex(id);
        return new Parsed(
                keyId,
                PREFIX + keyId + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    /** The key id of a well-formed key; empty for anything else. */
    public static Optional<Parsed> parse(final String presented) {
        if (presented == null || presented.length() != 63) {
            return Optional.empty();
        }
        final var m = KEY.matcher(presented);
        return m.matches() ? Optional.of(new Parsed(m.group(1), presented)) : Optional.empty();
    }

    /** Whether {@code keyId} has the shape of a key id (used to validate path parameters). */
    public static boolean isKeyId(final String keyId) {
        return keyId != null && keyId.matches("[0-9a-f]{16}");
    }
}
