package ai.continuum.server.storage;

import java.util.Map;
import java.util.Set;

/**
 * Wake-ups for the instances that share one database: which tenants' change logs grew and which API keys were
 * revoked, as announced by the instance that committed them. A hint only: an announcement can be lost whenever the
 * listening connection drops, so a follower also polls the chain heads ({@link Storage#heads}) and treats a
 * {@link Signals#reconnected} answer as "anything may have been missed".
 *
 * <p>Thread safety: one thread (the follower) calls {@link #await}; {@link #close} may come from any thread.
 */
public interface ChangeSignals extends AutoCloseable {
    /**
     * The channel that carries {@code "<seq>:<origin>:<tenant>"}: the tenant's chain reached seq, committed by the
     * process with instance number origin (-1: every process follows it, the committing one included).
     */
    String CHANGES_CHANNEL = "continuum_changes";
    /** The channel that carries the id of a revoked API key. */
    String KEYS_CHANNEL = "continuum_keys";

    /**
     * Waits at most {@code timeoutMs} for announcements and returns those that arrived (possibly none). Opens the
     * listening connection first when it is not open, and answers {@link Signals#reconnected} at once then.
     *
     * @throws java.sql.SQLException when the listening connection failed; it is closed, and the next call reopens it.
     */
    Signals await(long timeoutMs) throws java.sql.SQLException;

    @Override
    void close();

    /**
     * What the change notifications announced since the last poll.
     *
     * @param reconnected true when the listening connection was (re)opened by this call: announcements made while it
     *                    was down are lost.
     * @param heads       tenant to the highest chain position announced for it.
     * @param revokedKeys ids of keys revoked elsewhere.
     */
    record Signals(boolean reconnected, Map<String, Long> heads, Set<String> revokedKeys) {
        public static final Signals NONE = new Signals(false, Map.of(), Set.of());
    }
}
