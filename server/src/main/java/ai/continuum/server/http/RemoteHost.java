package ai.continuum.server.http;

import io.helidon.common.socket.PeerInfo;

/** The client's address as text, for access lines, audit lines, per-address limits and connection logs. */
final class RemoteHost {
    /** Written in place of the address of a connection already closed when it was asked for. */
    static final String CLOSED = "closed";

    private RemoteHost() {}

    /**
     * {@code peer}'s host, or {@link #CLOSED}. Helidon's socket reads the channel's remote address on every call and
     * dereferences it, and a closed channel has none: a request whose connection {@link ConnectionGuard} cut (a
     * trickled body) or the client dropped would otherwise fail with a NullPointerException in whatever names its
     * client, the access line included, and be logged as an unhandled error.
     */
    static String of(final PeerInfo peer) {
        try {
            return peer.host();
        } catch (final NullPointerException closed) {
            return CLOSED;
        }
    }
}
