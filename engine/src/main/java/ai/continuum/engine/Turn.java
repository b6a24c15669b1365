package ai.continuum.engine;

import java.util.Objects;

/**
 * One conversation turn to learn from.
 *
 * @param memoryId   identity of the memory this turn becomes; unique per tenant, positive. The caller chooses it
 *                   (the server from a random 63-bit value) so that a replayed delta names the same memory.
 * @param userText   what the user said; may be empty, not null.
 * @param aiText     what the assistant answered; may be empty, not null. Decisions are extracted from it only.
 * @param thinking   the assistant's reasoning, or empty; extracted like the other texts.
 * @param sessionId  conversation the turn belongs to; may be empty.
 * @param metadata   opaque caller text (the server stores JSON); may be empty.
 * @param timeMillis when the turn happened, epoch milliseconds UTC.
 */
public record Turn(
        long memoryId,
        String userText,
        String aiText,
        String thinking,
        String sessionId,
        String metadata,
        long timeMillis) {

    public Turn {
        if (memoryId <= 0) {
            throw new IllegalArgumentException("memoryId=" + memoryId + " must be positive");
        }
        Objects.requireNonNull(userText, "userText");
        Objects.requireNonNull(aiText, "aiText");
        thinking = thinking == null ? "" : thinking;
        sessionId = sessionId == null ? "" : sessionId;
        metadata = metadata == null ? "" : metadata;
    }

    public static Turn of(final long memoryId, final String userText, final String aiText, final long timeMillis) {
        return new Turn(memoryId, userText, aiText, "", "", "", timeMillis);
    }
}
