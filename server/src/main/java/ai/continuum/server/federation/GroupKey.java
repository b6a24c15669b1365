package ai.continuum.server.federation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The federation group key: 32 random bytes that only member organisations hold. Three independent keys derive from
 * it (HKDF-SHA256, RFC 5869), so no primitive ever uses the raw secret:
 * <ul>
 *   <li>the <em>pseudonym</em> key: {@code pattern_id = HMAC-SHA256(pseudonym key, normalised pair)}, the same for
 *       every member, meaningless to anyone without the key (the coordinator matches equal patterns by it);</li>
 *   <li>the <em>seal</em> key: AES-256-GCM over a pattern's payload, with a random 96-bit nonce per sealing and the
 *       key id and pattern id as associated data (a ciphertext moved to another pattern id fails to open);</li>
 *   <li>the key <em>id</em>: a public 16-hex-digit fingerprint, so members under different keys (during a rotation)
 *       never mix their patterns.</li>
 * </ul>
 * Immutable and thread-safe; {@link #toString()} never shows the secret.
 */
public final class GroupKey {
    public static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] SALT = "continuum-federation-v1".getBytes(StandardCharsets.UTF_8);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] pseudonymKey;
    private final SecretKeySpec sealKey;
    private final String keyId;

    private GroupKey(final byte[] secret) {
        if (secret.length != KEY_BYTES) {
            throw new IllegalArgumentException("a federation group key is " + KEY_BYTES
                    + " bytes (base64 of 32 random bytes), not " + secret.length);
        }
        final byte[] prk = hmac(SALT, secret);
        this.pseudonymKey = expand(prk, "pattern-id");
        this.sealKey = new SecretKeySpec(expand(prk, "payload-seal"), "AES");
        this.keyId = HexFormat.of().formatHex(Arrays.copyOf(expand(prk, "key-id"), 8));
    }

    /** A key from its 32 raw bytes. */
    public static GroupKey of(final byte[] secret) {
        return new GroupKey(secret.clone());
    }

    /** A key from its base64 text (what {@link #generate()} writes). */
    public static GroupKey parse(final String base64) {
        final byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64.strip());
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException("the federation group key is not base64", e);
        }
        return new GroupKey(raw);
    }

    /** Reads a key file holding the base64 text; the message never contains the file's content. */
    public static GroupKey fromFile(final Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read the federation group key file " + file, e);
        }
    }

    /** A new random key as base64 text. */
    public static String generate() {
        final byte[] raw = new byte[KEY_BYTES];
        RANDOM.nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    /** The public fingerprint of this key. */
    public String keyId() {
        return keyId;
    }

    /**
     * The pseudonym of the unordered pair {@code {a, b}} of normalised concept keys: 64 hex digits. Length-prefixed
     * so no two different pairs share an input.
     */
    public String patternId(final String keyA, final String keyB) {
        final String first = keyA.compareTo(keyB) <= 0 ? keyA : keyB;
        final String second = first.equals(keyA) ? keyB : keyA;
        final String input = first.length() + ":" + first + "|" + second;
        return HexFormat.of().formatHex(hmac(pseudonymKey, input.getBytes(StandardCharsets.UTF_8)));
    }

    /** Seals {@code plaintext} for {@code patternId}: nonce followed by ciphertext and tag. */
    public byte[] seal(final String patternId, final byte[] plaintext) {
        final byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            final Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, sealKey, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(patternId));
            final byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length)
                    .put(nonce)
                    .put(sealed)
                    .array();
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /**
     * Opens what {@link #seal} produced for the same pattern id under this key.
     *
     * @throws GeneralSecurityException when it was sealed under another key, for another pattern id, or altered.
     */
    public byte[] open(final String patternId, final byte[] sealed) throws GeneralSecurityException {
        if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new GeneralSecurityException("sealed payload too short");
        }
        final Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, sealKey, new GCMParameterSpec(TAG_BITS, Arrays.copyOf(sealed, NONCE_BYTES)));
        cipher.updateAAD(associatedData(patternId));
        return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
    }

    private byte[] associatedData(final String patternId) {
        return (keyId + "/" + patternId).getBytes(StandardCharsets.US_ASCII);
    }

    /** HKDF-Expand for one 32-byte block: {@code HMAC(prk, info || 0x01)}. */
    private static byte[] expand(final byte[] prk, final String info) {
        final byte[] label = ("continuum federation " + info).getBytes(StandardCharsets.UTF_8);
        final byte[] input = Arrays.copyOf(label, label.length + 1);
        input[label.length] = 1;
        return hmac(prk, input);
    }

    static byte[] hmac(final byte[] key, final byte[] data) {
        try {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (final NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "GroupKey[id=" + keyId + "]";
    }
}
