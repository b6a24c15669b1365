package ai.continuum.server.storage;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A JDBC connection source that counts what the storage writer asks of the database: each call that sends work to
 * the database and waits for its answer (an {@code execute*}, an {@code executeBatch}, a commit; one round trip each
 * to a PostgreSQL server, one call into the library for SQLite), the rows sent with each statement (the rows of a
 * batch, or one), and the statements prepared. Counts are keyed by the statement's first words and its table, so a
 * test can say which statement grew.
 *
 * <p>Thread model: used by one writer thread at a time; read by the test after the writer ran.
 */
final class CountingConnection implements DataSource {
    private static final Pattern WRITE =
            Pattern.compile("(INSERT INTO|DELETE FROM|UPDATE) (\\w+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern VALUES = Pattern.compile(
            "INSERT INTO \\w+ ?\\([^)]*\\) VALUES ?\\([^)]*\\)( ON CONFLICT .*)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern READ = Pattern.compile(" FROM (\\w+)", Pattern.CASE_INSENSITIVE);

    private final String url;
    /** Calls that wait for the database, per statement (commit counted as "COMMIT"). */
    final Map<String, Integer> calls = new TreeMap<>();
    /** Rows sent to the database, per statement. */
    final Map<String, Integer> rows = new TreeMap<>();

    int prepared;
    /**
     * The batched statements the PostgreSQL driver can send as multi-row statements ({@code reWriteBatchedInserts}
     * rewrites a batch of {@code INSERT ... VALUES (...)} only), and those it must send one statement per row.
     */
    final Map<String, Boolean> multiRow = new TreeMap<>();

    CountingConnection(final String url) {
        this.url = url;
    }

    /** Forgets every count (e.g. after the first batch, which created the tenant). */
    void reset() {
        calls.clear();
        rows.clear();
        multiRow.clear();
        prepared = 0;
    }

    int totalCalls() {
        return calls.values().stream().mapToInt(Integer::intValue).sum();
    }

    int totalRows() {
        return rows.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** "INSERT INTO messages", "SELECT seq FROM change_log", "UPDATE ...": enough to tell the statements apart. */
    static String label(final String sql) {
        final String s = sql.strip().replaceAll("\\s+", " ");
        final Matcher write = WRITE.matcher(s);
        if (write.lookingAt()) {
            return write.group(1).toUpperCase(Locale.ROOT) + " " + write.group(2);
        }
        final Matcher read = READ.matcher(s);
        return read.find() ? "SELECT FROM " + read.group(1) : s;
    }

    @Override
    public Connection getConnection() throws SQLException {
        final Connection real = DriverManager.getConnection(url);
        return (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, m, args) -> {
                    if (m.getName().equals("commit")) {
                        calls.merge("COMMIT", 1, Integer::sum);
                    }
                    final Object result = invoke(real, m, args);
                    if (m.getName().equals("prepareStatement")) {
                        prepared++;
                        final String sql = ((String) args[0]).strip().replaceAll("\\s+", " ");
                        return statement(
                                (PreparedStatement) result,
                                label(sql),
                                VALUES.matcher(sql).matches());
                    }
                    return result;
                });
    }

    private PreparedStatement statement(final PreparedStatement real, final String label, final boolean values) {
        final int[] batched = {0};
        final InvocationHandler h = (proxy, m, args) -> {
            switch (m.getName()) {
                case "addBatch" -> batched[0]++;
                case "executeBatch" -> {
                    if (batched[0] > 0) {
                        calls.merge(label, 1, Integer::sum);
                        rows.merge(label, batched[0], Integer::sum);
                        multiRow.put(label, values);
                    }
                    batched[0] = 0;
                }
                case "executeUpdate", "executeQuery", "execute" -> {
                    calls.merge(label, 1, Integer::sum);
                    rows.merge(label, 1, Integer::sum);
                }
                default -> {
                    // Parameter setters and the rest are local to the driver.
                }
            }
            return invoke(real, m, args);
        };
        return (PreparedStatement) Proxy.newProxyInstance(
                PreparedStatement.class.getClassLoader(), new Class<?>[] {PreparedStatement.class}, h);
    }

    private static Object invoke(final Object target, final Method m, final Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (final InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public Connection getConnection(final String username, final String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(final PrintWriter out) {
        // Not used.
    }

    @Override
    public void setLoginTimeout(final int seconds) {
        // Not used.
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(final Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(final Class<?> iface) {
        return false;
    }
}
