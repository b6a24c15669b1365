package ai.continuum.server.fleet;

import ai.continuum.server.storage.PostgresSchema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fresh, uniquely named PostgreSQL database on the tests' server ({@link PostgresSchema#serverUrl}), dropped on
 * close. A whole database rather than a schema: {@code LISTEN/NOTIFY} channels are per database, so instances of
 * other tests on a shared database would otherwise hear each other.
 */
public final class FleetDatabase implements AutoCloseable {
    private static final Pattern URL = Pattern.compile("(jdbc:postgresql://[^/]+/)([^?]*)(.*)");

    private final String serverUrl;
    private final String name;
    private final String url;

    private FleetDatabase(final String serverUrl, final String name, final String url) {
        this.serverUrl = serverUrl;
        this.name = name;
        this.url = url;
    }

    public static FleetDatabase create() {
        final String server = PostgresSchema.serverUrl();
        final Matcher m = URL.matcher(server);
        if (!m.matches()) {
            throw new IllegalStateException("unexpected PostgreSQL test URL " + server);
        }
        final String name = "continuum_fleet_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(server);
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (final SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return new FleetDatabase(server, name, m.group(1) + name + m.group(3));
    }

    /** The JDBC URL of the fresh database (the servers' connection string). */
    public String url() {
        return url;
    }

    /** Runs a statement in the fresh database (e.g. terminating sessions). */
    void execute(final String sql) {
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (final SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Counts the rows a query returns in the fresh database. */
    long count(final String sql) {
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement();
                var rs = st.executeQuery(sql)) {
            long n = 0;
            while (rs.next()) {
                n++;
            }
            return n;
        } catch (final SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    @Override
    public void close() {
        try (Connection c = DriverManager.getConnection(serverUrl);
                Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (final SQLException e) {
            throw new IllegalStateException("cannot drop database " + name, e);
        }
    }
}
