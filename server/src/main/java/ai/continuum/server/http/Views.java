package ai.continuum.server.http;

import ai.continuum.engine.ConceptView;
import ai.continuum.engine.Memory;
import ai.continuum.server.core.ContinuumCore;
import ai.continuum.server.storage.Storage;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

/** JSON shapes shared by several resources. Plain immutable records; snake_case on the wire (see {@link Json}). */
public final class Views {
    private Views() {}

    public record MemoryView(
            long id,
            String sessionId,
            String userMessage,
            String aiResponse,
            String thinking,
            JsonNode metadata,
            String time,
            List<String> concepts) {
        public static MemoryView of(final Memory m) {
            return new MemoryView(
                    m.id(),
                    m.sessionId(),
                    m.userText(),
                    m.aiText(),
                    m.thinking(),
                    Views.metadata(m.metadata()),
                    iso(m.timeMillis()),
                    m.concepts());
        }

        /**
         * A memory as storage holds it: its concepts are stored as keys (lower case), so {@code displayName} turns
         * each into the spelling the engine shows everywhere else (a key the engine no longer holds stays a key).
         */
        public static MemoryView of(final Storage.StoredMemory m, final UnaryOperator<String> displayName) {
            return new MemoryView(
                    m.id(),
                    m.sessionId(),
                    m.userText(),
                    m.aiText(),
                    m.thinking(),
                    Views.metadata(m.metadataJson()),
                    iso(m.timeMillis()),
                    m.concepts() == null
                            ? List.of()
                            : m.concepts().stream().map(displayName).toList());
        }
    }

    /** A concept key as the engine spells the concept (the spelling recall and GET by id show), else the key. */
    public static UnaryOperator<String> displayNames(final ContinuumCore core, final String tenant) {
        return key -> core.concept(tenant, key, 0).map(ConceptView::name).orElse(key);
    }

    public static String iso(final long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }

    /** Stored metadata back as JSON; an empty object when none was given or it does not parse. */
    static JsonNode metadata(final String json) {
        if (json == null || json.isBlank()) {
            return JsonNodeFactory.instance.objectNode();
        }
        try {
            return Json.MAPPER.readTree(json);
        } catch (final JsonProcessingException e) {
            return JsonNodeFactory.instance.objectNode();
        }
    }
}
