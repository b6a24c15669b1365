package ai.continuum.server.storage;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Writes that ride along with the storage writer's batches but are not ops (API key last-use times): written in the
 * transaction of the next batch, or alone when the writer is idle. Called on the writer thread only.
 */
interface SideWrites {
    boolean hasPending();

    void write(Connection connection, long nowMillis) throws SQLException;
}
