package ai.continuum.server.snapshot;

/** Why a snapshot is not used: the message starts with the kind (missing, corrupt, foreign, outdated) and says why. */
final class SnapshotRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SnapshotRejectedException(final String reason) {
        super(reason, null, false, false);
    }
}
