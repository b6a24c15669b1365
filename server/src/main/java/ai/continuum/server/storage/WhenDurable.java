package ai.continuum.server.storage;

import java.util.function.Consumer;

/**
 * Acknowledges a committed write once it is durable: at once where the {@code COMMIT} returned only once durable
 * (PostgreSQL), after the log sync that covers it on SQLite ({@link LogSyncer}). Writer thread only.
 */
@FunctionalInterface
interface WhenDurable {
    /** {@code acknowledge} once the commit of {@code ops} ops is durable; {@code fail} if that cannot be known. */
    void then(Runnable acknowledge, Consumer<Throwable> fail, int ops);
}
