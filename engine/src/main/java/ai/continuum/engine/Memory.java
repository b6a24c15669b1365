package ai.continuum.engine;

import java.util.List;

/** A stored turn as the engine holds it. {@code concepts} are display names. */
public record Memory(
        long id,
        String sessionId,
        String userText,
        String aiText,
        String thinking,
        String metadata,
        long timeMillis,
        List<String> concepts) {}
