package ai.continuum.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * {@link ChangeSignals} over PostgreSQL {@code LISTEN/NOTIFY}, on a dedicated connection of its own (a pooled
 * connection would be handed to other work between waits and lose the subscription). The writers announce inside
 * their transactions ({@link #announceChanges}), so an announcement arrives only after its commit is visible.
 *
 * <p>Thread safety: {@link #await} from one thread; {@link #close} from any.
 */
final class PostgresChangeSignals implements ChangeSignals {
    /** The listening session's {@code application_name} in {@code pg_stat_activity}. */
    static final String APPLICATION_NAME = "continuum-listener";

    private static final System.Logger LOG = System.getLogger(PostgresChangeSignals.class.getName());

    private final String connectionString;
    /** This process's instance number: its own announcements are skipped. */
    private final java.util.function.IntSupplier self;

    private volatile Connection connection;
    private volatile boolean closed;

    PostgresChangeSignals(final String connectionString, final java.util.function.IntSupplier self) {
        this.connectionString = connectionString;
        this.self = self;
    }

    /** The statement {@link #announceChanges} runs, prepared once by the writer's connection ({@link Statements}). */
    static final String ANNOUNCE_CHANGES = "SELECT pg_notify('" + CHANGES_CHANNEL + "', ?)";

    /**
     * Announces, inside the caller's open transaction, that each tenant's chain reached the given position, with
     * {@code notify} (a statement of {@link #ANNOUNCE_CHANGES}). PostgreSQL delivers the notifications when that
     * transaction commits, and drops them when it rolls back.
     */
    static void announceChanges(final PreparedStatement notify, final int origin, final Map<String, Long> heads)
            throws SQLException {
        for (final Map.Entry<String, Long> head : heads.entrySet()) {
            notify.setString(1, head.getValue() + ":" + origin + ":" + head.getKey());
            notify.execute();
        }
    }

    /** Announces a revoked key (inside the caller's transaction, or at once in auto-commit). */
    static void announceRevoked(final Connection c, final String keyId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify('" + KEYS_CHANNEL + "', ?)")) {
            ps.setString(1, keyId);
            ps.execute();
        }
    }

    @Override
    public Signals await(final long timeoutMs) throws SQLException {
        if (closed) {
            return Signals.NONE;
        }
        Connection c = connection;
        if (c == null) {
            c = PostgresStorage.connect(connectionString);
            try (Statement st = c.createStatement()) {
                st.execute("SET application_name = '" + APPLICATION_NAME + "'");
                st.execute("LISTEN " + CHANGES_CHANNEL);
                st.execute("LISTEN " + KEYS_CHANNEL);
            } catch (final SQLException e) {
                quietClose(c);
                throw e;
            }
            connection = c;
            return new Signals(true, Map.of(), Set.of());
        }
        try {
            final PGNotification[] arrived = c.unwrap(PGConnection.class)
                    .getNotifications((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeoutMs)));
            if (arrived == null || arrived.length == 0) {
                // A connection the server ended may just stay silent; ask it (an empty query) before trusting it.
                if (!closed && !c.isValid(1)) {
                    throw new SQLException("the listening connection no longer answers", "08006");
                }
                return Signals.NONE;
            }
            return parse(arrived, self.getAsInt());
        } catch (final SQLException e) {
            connection = null;
            quietClose(c);
            throw e;
        }
    }

    private static Signals parse(final PGNotification[] arrived, final int self) {
        final Map<String, Long> heads = new HashMap<>();
        final Set<String> revoked = new HashSet<>();
        for (final PGNotification n : arrived) {
            final String payload = n.getParameter();
            if (KEYS_CHANNEL.equals(n.getName())) {
                revoked.add(payload);
                continue;
            }
            // "<seq>:<origin>:<tenant>"; tenant names hold no ':' (ServerConfig.TENANT_PATTERN), but split twice only.
            final int first = payload.indexOf(':');
            final int second = payload.indexOf(':', first + 1);
            try {
                if (Integer.parseInt(payload.substring(first + 1, second)) == self) {
                    continue;
                }
                heads.merge(payload.substring(second + 1), Long.parseLong(payload.substring(0, first)), Math::max);
            } catch (final RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "ignoring a malformed change announcement: " + payload);
            }
        }
        return new Signals(false, heads, revoked);
    }

    @Override
    public void close() {
        closed = true;
        final Connection c = connection;
        connection = null;
        if (c != null) {
            quietClose(c);
        }
    }

    private static void quietClose(final Connection c) {
        try {
            c.close();
        } catch (final SQLException ignored) {
            // The connection is dropped either way; nothing waits on it.
        }
    }
}
