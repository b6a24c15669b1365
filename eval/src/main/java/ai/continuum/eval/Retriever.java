package ai.continuum.eval;

import java.util.List;

/**
 * A system under evaluation: it indexes one conversation at a time and answers questions with a ranking of turn ids.
 *
 * <p>Each {@link #index} call starts from nothing, so no conversation can leak into another's answers.
 * Implementations are used from one thread.
 */
public interface Retriever extends AutoCloseable {

    /** Short name for tables and JSON keys, e.g. {@code continuum}. */
    String name();

    /** Indexes every turn of the conversation, in order, into fresh state. */
    IndexedConversation index(EvalDataset.Conversation conversation);

    @Override
    void close();

    /** One conversation's index, queried once per question and closed afterwards. */
    interface IndexedConversation extends AutoCloseable {

        /** Turn ids, best first, at most {@code limit}; never the same id twice. */
        List<String> retrieve(String question, int limit);

        @Override
        void close();
    }
}
