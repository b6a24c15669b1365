package ai.continuum.server.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

/**
 * A commit that failed without an answer (the connection broke while the database committed) may have landed: the
 * chain heads of the ops at the front of the writer's batch that it held. Before they are written again, the writer
 * looks for the last one in the change log; found, they are acknowledged instead of applied twice. Each hash chains
 * every op before it, so a match means exactly these ops landed.
 *
 * <p>Thread model: the writer thread only.
 */
final class InDoubtCommit {
    private static final System.Logger LOG = System.getLogger(InDoubtCommit.class.getName());

    /** Null when no commit is in doubt. */
    private List<Storage.ContinuityHead> heads;

    /** The commit of ops with these heads (null entries for duplicates, which wrote nothing) got no answer. */
    void suspect(final List<Storage.ContinuityHead> committedHeads) {
        heads = committedHeads;
    }

    /** A commit the database certainly did not make (rejected, or out of space). */
    void clear() {
        heads = null;
    }

    boolean pending() {
        return heads != null;
    }

    int size() {
        return heads.size();
    }

    /**
     * Asks the change log whether the commit landed. Landed, acknowledges those ops and takes them off the front of
     * {@code batch}; either way the doubt is resolved. Throws while the database cannot answer; the doubt stays.
     *
     * @return whether the ops in doubt had landed.
     */
    boolean resolve(final WriterConnection connection, final List<WriteQueue.Pending> batch) throws SQLException {
        final List<Storage.ContinuityHead> doubted = heads;
        final Storage.ContinuityHead last =
                doubted.stream().filter(Objects::nonNull).reduce((a, b) -> b).orElse(null);
        boolean landed = false;
        // A batch of duplicates only (no head) wrote nothing worth finding: writing it again finds the keys again.
        if (last != null) {
            try (PreparedStatement ps =
                    connection.get().prepareStatement("SELECT hash FROM change_log WHERE tenant_id = ? AND seq = ?")) {
                ps.setString(1, last.tenant());
                ps.setLong(2, last.length());
                try (ResultSet rs = ps.executeQuery()) {
                    landed = rs.next() && last.headHex().equals(rs.getString(1));
                }
            }
        }
        connection.get().rollback();
        heads = null;
        LOG.log(
                System.Logger.Level.WARNING,
                "storage writer: a commit of " + doubted.size() + " ops got no answer; "
                        + (landed
                                ? "it was committed, acknowledging them"
                                : "it was not committed, writing them again"));
        if (landed) {
            final List<WriteQueue.Pending> done = batch.subList(0, doubted.size());
            for (int i = 0; i < doubted.size(); i++) {
                done.get(i).acknowledge(doubted.get(i));
            }
            done.clear();
        }
        return landed;
    }
}
