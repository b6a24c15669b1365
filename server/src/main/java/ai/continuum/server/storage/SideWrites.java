package ai.continuum.server.storage;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Writes that ride along with the storage writer's batches but are not ops (API key last-use times, sentence
 * vectors): written in the
 * transaction of the next batch, or alone when the writer is idle. Called on the writer thread only.
 */
interface SideWrites {
    boolean hasPending();

    void write(Connection connection, long nowMillis) throws SQLException;

    /** A transaction that deleted every state row of {@code tenant} (a replace-import's clear) has committed. */
    default void tenantCleared(final String tenant) {}

    /** Both sources' writes, {@code first}'s before {@code second}'s, in the same transaction. */
    static SideWrites both(final SideWrites first, final SideWrites second) {
        return new SideWrites() {
            @Override
            public boolean hasPending() {
                return first.hasPending() || second.hasPending();
            }

            @Override
            public void write(final Connection connection, final long nowMillis) throws SQLException {
                if (first.hasPending()) {
                    first.write(connection, nowMillis);
                }
                if (second.hasPending()) {
                    second.write(connection, nowMillis);
                }
            }

            @Override
            public void tenantCleared(final String tenant) {
                first.tenantCleared(tenant);
                second.tenantCleared(tenant);
            }
        };
    }
}
