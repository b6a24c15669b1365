package ai.continuum.server.storage;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * A PostgreSQL connection string as the JDBC driver takes it. Accepts the driver's own
 * {@code jdbc:postgresql://host:port/db?user=..&password=..} form unchanged, and the libpq URI form that
 * {@code DATABASE_URL} usually holds, {@code postgresql://user:password@host:port/db?param=value} (also
 * {@code postgres://}, several {@code host:port} separated by commas, {@code [ipv6]} hosts), whose percent-encoded user
 * and password are decoded and handed to the driver as properties; the query parameters pass through.
 *
 * <p>Error messages and {@link #toString()} never contain the password. Immutable.
 *
 * @param jdbcUrl  the URL for the driver, without the user and password of a libpq URI.
 * @param user     from the libpq URI, or null (then the URL's {@code user} parameter or the driver's default).
 * @param password from the libpq URI, or null.
 */
record PostgresUrl(String jdbcUrl, String user, String password) {
    private static final String JDBC_PREFIX = "jdbc:postgresql:";
    private static final int DEFAULT_PORT = 5432;
    /**
     * Driver properties every connection gets unless the URL sets them. {@code reWriteBatchedInserts}: the driver
     * sends a JDBC batch of {@code INSERT ... VALUES} as multi-row inserts, so the writer's batched upserts cost one
     * statement execution per few hundred rows instead of one per row (measured in benchmarks/RESULTS.md).
     *
     * <p>{@code socketTimeout} (seconds) and {@code tcpKeepAlive}: a connection whose peer vanished without closing it
     * (a network partition between a replica and the database) otherwise waits forever for an answer, and with it
     * whatever runs on it: the writer, a read, the checkpointer, the change follower. The pool's connection timeout
     * covers only taking a connection from the pool. After {@code socketTimeout} without a byte from the server the
     * driver fails the statement and closes the connection, and the pool replaces it. 300 s, because the bound must
     * exceed every statement the service runs in normal work, and the longest are single statements that grow with the
     * data: the writer's {@code DELETE} of a whole tenant per table ({@code RemovalWriter.clearTenant}) and the sweep of
     * orphaned vectors ({@code SqlVectors}). A timeout there is costly: the writer's transaction rolls back and is
     * retried, the same statement would time out again, and a commit cut off is in doubt. Statements that may rightly
     * run longer lift the timeout on their own connection: migrations ({@link PostgresStorage#withoutNetworkTimeout})
     * and {@code VACUUM} ({@link PostgresMaintenance}). {@code tcpKeepAlive} and {@code socketFactory}
     * ({@link KeepAliveSocketFactory}) let the operating system probe a connection on which nothing arrives, after a
     * minute rather than its default two hours, so a dead peer ends every wait within about two minutes, the waits
     * without a timeout too.
     */
    private static final String[][] DEFAULTS = {
        {"reWriteBatchedInserts", "true"},
        {"socketTimeout", "300"},
        {"tcpKeepAlive", "true"},
        {"socketFactory", KeepAliveSocketFactory.class.getName()}
    };

    @Override
    public String toString() {
        return "PostgresUrl[" + redact(jdbcUrl) + ", user=" + user + "]";
    }

    /**
     * @throws IllegalArgumentException naming what is wrong, with the password hidden.
     */
    static PostgresUrl parse(final String connectionString) {
        if (connectionString == null || connectionString.isBlank()) {
            throw new IllegalArgumentException("a PostgreSQL connection string is required");
        }
        final String s = connectionString.strip();
        if (s.startsWith(JDBC_PREFIX)) {
            return new PostgresUrl(s, null, null);
        }
        final int schemeEnd = s.indexOf("://");
        final String scheme = schemeEnd < 0 ? "" : s.substring(0, schemeEnd);
        if (!scheme.equals("postgresql") && !scheme.equals("postgres")) {
            throw invalid(s, "expected jdbc:postgresql://host:port/db or postgresql://user:password@host:port/db");
        }
        final String rest = s.substring(schemeEnd + 3);
        final int queryStart = rest.indexOf('?');
        final String beforeQuery = queryStart < 0 ? rest : rest.substring(0, queryStart);
        final String query = queryStart < 0 ? "" : rest.substring(queryStart);
        final int pathStart = beforeQuery.indexOf('/');
        final String authority = pathStart < 0 ? beforeQuery : beforeQuery.substring(0, pathStart);
        final String path = pathStart < 0 ? "/" : beforeQuery.substring(pathStart);
        final int at = authority.lastIndexOf('@');
        final String userInfo = at < 0 ? null : authority.substring(0, at);
        final String hosts = authority.substring(at + 1);
        if (hosts.isEmpty()) {
            throw invalid(s, "a host is required (the driver cannot use a Unix socket)");
        }
        final StringBuilder url = new StringBuilder(JDBC_PREFIX).append("//");
        for (final String host : hosts.split(",", -1)) {
            if (url.length() > JDBC_PREFIX.length() + 2) {
                url.append(',');
            }
            url.append(withPort(s, host));
        }
        url.append(path).append(query);
        String user = null;
        String password = null;
        if (userInfo != null) {
            final int colon = userInfo.indexOf(':');
            user = decode(s, colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(s, userInfo.substring(colon + 1));
        }
        return new PostgresUrl(url.toString(), user == null || user.isEmpty() ? null : user, password);
    }

    /** The driver properties: user and password when the URI had them, and the {@link #DEFAULTS}. */
    Properties properties() {
        final Properties p = new Properties();
        for (final String[] d : DEFAULTS) {
            p.setProperty(d[0], d[1]);
        }
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        return p;
    }

    /** {@code connectionString} with any password replaced by {@code ***}, for messages and logs. */
    static String redact(final String connectionString) {
        return connectionString
                .replaceAll("://([^:/@]*):[^?#]*@", "://$1:***@")
                .replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    private static String withPort(final String s, final String host) {
        if (host.isEmpty()) {
            throw invalid(s, "an empty host in the host list");
        }
        final boolean ipv6 = host.startsWith("[");
        final int close = ipv6 ? host.indexOf(']') : -1;
        if (ipv6 && close < 0) {
            throw invalid(s, "an IPv6 host must be written [address]");
        }
        final int colon = host.indexOf(':', ipv6 ? close : 0);
        if (colon < 0) {
            return host + ":" + DEFAULT_PORT;
        }
        final String port = host.substring(colon + 1);
        if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65_535) {
            throw invalid(s, "the port '" + port + "' is not a number in [0, 65535]");
        }
        return host;
    }

    private static String decode(final String s, final String part) {
        try {
            return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (final IllegalArgumentException e) {
            throw invalid(s, "the user or password holds a malformed %-escape");
        }
    }

    private static IllegalArgumentException invalid(final String connectionString, final String why) {
        return new IllegalArgumentException(
                "invalid PostgreSQL connection string '" + redact(connectionString) + "': " + why);
    }
}
