package ai.continuum.server.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.IntSupplier;

/**
 * Commits one batch of ops in one transaction (group commit): the heartbeat first, then each op with its change-log
 * row and chain link (an op whose idempotency key is already stored is left out), the side writes that ride along,
 * the change announcement, and the commit. The batch commits whole or not at all. A COMMIT that fails without an
 * answer is recorded as {@link InDoubtCommit in doubt}.
 *
 * <p>Thread model: the writer thread only, except {@link #origin}.
 */
final class BatchCommitter {
    private final WriterConnection connection;
    private final SqlDialect dialect;
    private final StorageSettings settings;
    private final SideWrites sideWrites;
    private final InDoubtCommit inDoubt;
    /** This process's instance number, carried by its change announcements; -1 until the storage sets it. */
    private volatile IntSupplier origin = () -> -1;

    BatchCommitter(
            final WriterConnection connection,
            final SqlDialect dialect,
            final StorageSettings settings,
            final SideWrites sideWrites,
            final InDoubtCommit inDoubt) {
        this.connection = connection;
        this.dialect = dialect;
        this.settings = settings;
        this.sideWrites = sideWrites;
        this.inDoubt = inDoubt;
    }

    /** Names this process in its change announcements (its own follower then skips them). */
    void origin(final IntSupplier instanceNumber) {
        this.origin = instanceNumber;
    }

    /**
     * Commits {@code ops} in one transaction.
     *
     * @return each op's chain head, in order; null for an op whose idempotency key was already stored (not applied).
     */
    List<Storage.ContinuityHead> commit(final List<WriteQueue.Pending> ops, final long nowMs) throws SQLException {
        final Connection c = connection.get();
        connection.beginWrite();
        final List<Storage.ContinuityHead> heads = new ArrayList<>(ops.size());
        final BatchApplier applier = new BatchApplier(connection.statements(), dialect, settings.engine(), nowMs);
        applier.takeChainPositions(
                new TreeSet<>(ops.stream().map(p -> p.op().tenant()).toList()));
        for (final WriteQueue.Pending p : ops) {
            // The key and the op commit together or not at all; a key already stored means "not again".
            final boolean fresh = p.claim() == null || applier.claim(p.claim(), nowMs);
            heads.add(fresh ? applier.apply(p.op(), p.encoded()) : null);
        }
        applier.flush();
        if (sideWrites.hasPending()) {
            sideWrites.write(c, nowMs);
        }
        applier.announce(origin.getAsInt());
        try {
            c.commit();
        } catch (final SQLException e) {
            // A rejected commit (a deferred constraint) or a full disk certainly did not commit; any other failure
            // may have. (Holding a disk-full batch in doubt answered its requests after 30 s, then committed it once
            // space returned: a retry stored it twice.)
            if (dialect.isDataError(e) || dialect.isCertainlyNotCommitted(e)) {
                inDoubt.clear();
            } else {
                inDoubt.suspect(heads);
            }
            throw e;
        }
        connection.checkFile();
        return heads;
    }
}
