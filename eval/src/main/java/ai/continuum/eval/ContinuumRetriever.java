package ai.continuum.eval;

import ai.continuum.engine.EngineConfig;
import ai.continuum.engine.MemoryEngine;
import ai.continuum.engine.RecallResult;
import ai.continuum.engine.Turn;
import ai.continuum.engine.semantic.TextEmbedder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Continuum itself: every conversation is learned into a fresh tenant of one {@link MemoryEngine} through
 * {@link MemoryEngine#learn}, the call the learn API makes, one turn per call; questions are answered by
 * {@link MemoryEngine#recall} and the returned memories, in order, are the ranking.
 *
 * <p>Mapping of a dataset turn: user text {@code "Speaker: text"} (the speaker's name becomes part of what is learned,
 * as an agent that prefixes utterances with names would send it), empty assistant text, session id from
 * {@code session}, time from {@code time}, memory id = 1-based position in the conversation, mapped back to the
 * turn id on recall. Not thread-safe; owns and closes its engine.
 */
public final class ContinuumRetriever implements Retriever {

    /** How long indexing a conversation waits for its turns' vectors. */
    private static final long EMBEDDING_WAIT_MILLIS = 600_000;

    private final MemoryEngine engine;
    private final int maxConcepts;
    private final String name;
    private int tenantSequence;

    /**
     * @param config      engine configuration; the memory limit of recall is taken from the evaluator's depth.
     * @param maxConcepts concepts recall activates before scoring memories, 1..100.
     */
    public ContinuumRetriever(final EngineConfig config, final int maxConcepts) {
        this(MemoryEngine.create(config), maxConcepts, "continuum");
    }

    /**
     * Continuum with its semantic index: every turn is embedded by {@code embedder} (owned and closed here), and
     * indexing a conversation includes waiting for its vectors.
     *
     * @param name the retriever's column in the report.
     */
    public ContinuumRetriever(
            final EngineConfig config, final int maxConcepts, final TextEmbedder embedder, final String name) {
        this(MemoryEngine.create(config, System::currentTimeMillis, embedder), maxConcepts, name);
    }

    private ContinuumRetriever(final MemoryEngine engine, final int maxConcepts, final String name) {
        if (maxConcepts < 1 || maxConcepts > 100) {
            engine.close();
            throw new IllegalArgumentException("maxConcepts=" + maxConcepts + " must be in [1, 100]");
        }
        this.engine = engine;
        this.maxConcepts = maxConcepts;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public IndexedConversation index(final EvalDataset.Conversation conversation) {
        tenantSequence++;
        final String tenant = "eval-" + tenantSequence + "-" + conversation.id();
        final List<EvalDataset.DialogueTurn> turns = conversation.turns();
        final String[] turnIds = new String[turns.size()];
        for (int i = 0; i < turns.size(); i++) {
            final EvalDataset.DialogueTurn turn = turns.get(i);
            turnIds[i] = turn.id();
            engine.learn(tenant, new Turn(i + 1L, turn.indexedText(), "", "", turn.session(), "", turn.timeMillis()));
        }
        try {
            if (!engine.awaitSemanticIndex(EMBEDDING_WAIT_MILLIS)) {
                throw new IllegalStateException("turns of " + conversation.id() + " not embedded in time");
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while embedding " + conversation.id(), e);
        }
        return new IndexedConversation() {
            @Override
            public List<String> retrieve(final String question, final int limit) {
                final RecallResult result = engine.recall(tenant, question, maxConcepts, limit);
                final Set<String> ranking = new LinkedHashSet<>();
                for (final RecallResult.MemoryHit hit : result.memories()) {
                    final long id = hit.memory().id();
                    if (id >= 1 && id <= turnIds.length) {
                        ranking.add(turnIds[(int) (id - 1)]);
                    }
                }
                return new ArrayList<>(ranking);
            }

            @Override
            public void close() {
                // The tenant stays in the engine until the retriever closes; its id is never reused.
            }
        };
    }

    @Override
    public void close() {
        engine.close();
    }
}
