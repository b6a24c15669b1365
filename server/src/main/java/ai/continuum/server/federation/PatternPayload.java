package ai.continuum.server.federation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What a pattern says, sealed under the group key: the two concepts (normalised keys and display names) and the
 * strength bucket of their link. Nothing else of a node's data ever leaves it (no memory, message, tenant or time).
 *
 * <p>The encoding is padded with spaces to a multiple of {@link #PAD_BYTES}, so a ciphertext's length tells the
 * coordinator the rough size class of the names, not their exact length.
 *
 * @param keyA   the first concept's normalised key (the lower of the two).
 * @param keyB   the second concept's normalised key.
 * @param nameA  how the contributor displays the first concept.
 * @param nameB  how the contributor displays the second.
 * @param bucket the link's strength bucket ({@link StrengthBucket}).
 */
public record PatternPayload(String keyA, String keyB, String nameA, String nameB, int bucket) {
    static final int PAD_BYTES = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    public PatternPayload {
        if (keyA.compareTo(keyB) > 0) {
            throw new IllegalArgumentException("keyA must sort before keyB");
        }
    }

    /** The payload of the pair, ordered by key. */
    public static PatternPayload of(
            final String keyA, final String nameA, final String keyB, final String nameB, final int bucket) {
        return keyA.compareTo(keyB) <= 0
                ? new PatternPayload(keyA, keyB, nameA, nameB, bucket)
                : new PatternPayload(keyB, keyA, nameB, nameA, bucket);
    }

    /** The padded JSON encoding. */
    public byte[] encode() {
        final ObjectNode node = JSON.createObjectNode()
                .put("v", 1)
                .put("type", "link")
                .put("ka", keyA)
                .put("kb", keyB)
                .put("a", nameA)
                .put("b", nameB)
                .put("bucket", bucket);
        final byte[] raw;
        try {
            raw = JSON.writeValueAsBytes(node);
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        final int padded = (raw.length / PAD_BYTES + 1) * PAD_BYTES;
        final byte[] out = Arrays.copyOf(raw, padded);
        Arrays.fill(out, raw.length, padded, (byte) ' ');
        return out;
    }

    /** Decodes {@link #encode()}'s output; IllegalArgumentException when it is not a version-1 link payload. */
    public static PatternPayload decode(final byte[] bytes) {
        final JsonNode node;
        try {
            node = JSON.readTree(new String(bytes, StandardCharsets.UTF_8).strip());
        } catch (final IOException e) {
            throw new IllegalArgumentException("not a pattern payload", e);
        }
        if (node == null
                || node.path("v").asInt() != 1
                || !"link".equals(node.path("type").asText())) {
            throw new IllegalArgumentException("not a version-1 link payload");
        }
        return new PatternPayload(
                node.path("ka").asText(),
                node.path("kb").asText(),
                node.path("a").asText(),
                node.path("b").asText(),
                node.path("bucket").asInt());
    }
}
