package ai.continuum.server.http;

import ai.continuum.engine.Memory;
import ai.continuum.server.storage.Storage;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.time.Instant;
import java.util.List;

/** JSON shapes shared by several resources. Plain immutable records; snake_case on the wire (see {@link Json}). */
public final class Views {
    private Views() {
    }

    public record MemoryView(long id, String sessionId, String userMessage, String aiResponse, String thinking,
                      JsonNode metadata, String time, List<String> concepts) {
        public static MemoryView of(final Memory m) {
            return new MemoryView(m.id(), m.sessionId(), m.userText(), m.aiText(), m.thinking(),
                Views.metadata(m.metadata()), iso(m.timeMillis()), m.concepts());
        }

        public static MemoryView of(final Storage.StoredMemory m) {
            return new MemoryView(m.id(), m.sessionId(), m.userText(), m.aiText(), m.thinking(),
                Views.metadata(m.metadataJson()), iso(m.timeMillis()), m.concepts() == null ? List.of() : m.concepts());
        }
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
