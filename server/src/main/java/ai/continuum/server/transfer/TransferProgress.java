package ai.continuum.server.transfer;

/**
 * Told how a long transfer advances. Implementations decide how often to show it. Called on the transferring thread.
 */
public interface TransferProgress {
    TransferProgress NONE = new TransferProgress() {
        @Override
        public void phase(final String name, final long total) {}

        @Override
        public void advance(final long done) {}

        @Override
        public void finish() {}
    };

    /** A new phase; {@code total} in the unit of {@link #advance}, or -1 when unknown. */
    void phase(String name, long total);

    /** How much of the phase is done so far (absolute, not an increment). */
    void advance(long done);

    /** The phase ended. */
    void finish();
}
