package ai.continuum.server.storage;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * The change feed: every tenant's committed ops in chain order, with the wake-ups that announce new ones. What an
 * instance follows to apply the ops other instances commit, and what the event stream replays.
 */
public interface ChangeFeed {

    /**
     * The tenant's committed ops after position {@code afterSeq}, oldest first, at most {@code limit} (1..10,000).
     * Replaying every tenant's feed in order into an empty storage reproduces both the state and the continuity chain
     * (a SQLite to PostgreSQL migration keeps its proof), except that an op whose text a later forget redacted replays
     * to a different hash (the state is the same: the forget follows it).
     */
    List<Storage.Change> changes(String tenant, long afterSeq, int limit);

    /** Each stored tenant's chain position now (0 for a tenant without ops), sorted by tenant. */
    SortedMap<String, Long> heads();

    /**
     * The tenant's chain hash right after its op at {@code seq} (hex), or empty when there is no such op. Reads the
     * hash only: cheaper than {@link #changes}, which decodes each op.
     */
    Optional<String> hashAt(String tenant, long seq);

    /**
     * Opens the wake-ups of a database several processes share (PostgreSQL); empty for a database only this process
     * writes (SQLite). The caller closes what it opened.
     */
    Optional<ChangeSignals> openSignals();

    /** This process's instance number among the processes writing the database ({@link InstanceLease}). */
    InstanceLease instanceLease();
}
