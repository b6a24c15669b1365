package ai.continuum.engine;

import ai.continuum.engine.extract.ConceptExtractor;
import ai.continuum.engine.extract.DecisionExtractor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@link Turn} into the {@link Delta} learning it means (docs/DESIGN.md section 7): concepts from the user, assistant and
 * thinking texts (in that order; the first sighting of a key names it), a link increment for every unordered pair,
 * one compound, the memory, and the decisions found in the assistant's text.
 *
 * <p>Pure and thread-safe: it reads no state, so the same turn always yields the same delta.
 *
 * <p>The concepts linked per turn are capped at {@code maxConceptsPerMessage} (first sightings first), which bounds
 * the quadratic pair count of a turn.
 */
final class Learner {
    static final String SOURCE_USER = "Extracted from user";
    static final String SOURCE_ASSISTANT = "Extracted from assistant";
    static final String SOURCE_THINKING = "Extracted from thinking";

    private final ConceptExtractor concepts;
    private final DecisionExtractor decisions = new DecisionExtractor();
    private final int maxConceptsPerTurn;

    Learner(final EngineConfig config) {
        this.concepts = new ConceptExtractor(config.maxConceptsPerMessage());
        this.maxConceptsPerTurn = config.maxConceptsPerMessage();
    }

    Delta prepare(final Turn turn) {
        final long time = turn.timeMillis();
        final Map<String, Delta.ConceptDelta> seen = new LinkedHashMap<>();
        collect(concepts.extract(turn.userText()), SOURCE_USER, time, seen);
        collect(concepts.extract(turn.aiText()), SOURCE_ASSISTANT, time, seen);
        if (!turn.thinking().isEmpty()) {
            collect(concepts.extract(turn.thinking()), SOURCE_THINKING, time, seen);
        }
        final List<String> keys = new ArrayList<>(seen.keySet());
        final List<Delta.LinkDelta> links = new ArrayList<>(keys.size() * (keys.size() - 1) / 2 + 1);
        for (int i = 0; i < keys.size(); i++) {
            for (int j = i + 1; j < keys.size(); j++) {
                links.add(new Delta.LinkDelta(keys.get(i), keys.get(j), 1, time));
            }
        }
        final List<Delta.CompoundDelta> compounds = new ArrayList<>(1);
        if (keys.size() >= 2) {
            final List<String> sorted = new ArrayList<>(keys);
            sorted.sort(null);
            compounds.add(new Delta.CompoundDelta(sorted, 1, time));
        }
        final Delta.MemoryDelta memory = new Delta.MemoryDelta(
                turn.memoryId(),
                turn.sessionId(),
                turn.userText(),
                turn.aiText(),
                turn.thinking(),
                turn.metadata(),
                time,
                keys);
        final List<String> found = decisions.extract(turn.aiText());
        final List<Delta.DecisionDelta> decisionDeltas = new ArrayList<>(found.size());
        for (int i = 0; i < found.size(); i++) {
            decisionDeltas.add(new Delta.DecisionDelta(turn.memoryId(), i, found.get(i), time));
        }
        return new Delta(new ArrayList<>(seen.values()), links, compounds, List.of(memory), decisionDeltas);
    }

    private void collect(
            final List<String> names,
            final String source,
            final long time,
            final Map<String, Delta.ConceptDelta> seen) {
        for (final String name : names) {
            if (seen.size() >= maxConceptsPerTurn) {
                return;
            }
            final String key = ConceptKeys.normalize(name);
            if (!key.isEmpty()) {
                seen.putIfAbsent(key, new Delta.ConceptDelta(key, name, "concept", source, time));
            }
        }
    }
}
