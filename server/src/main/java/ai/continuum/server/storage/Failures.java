package ai.continuum.server.storage;

import java.sql.BatchUpdateException;
import java.sql.SQLException;

/** How storage words a failure for logs and API errors. */
final class Failures {
    private Failures() {}

    /**
     * A one-line account of a failure without the statement text: drivers put bound values (user text) into batch
     * error messages, and those must not reach logs or API errors.
     */
    static String describe(final Throwable failure) {
        if (failure instanceof SQLException sql) {
            final SQLException root = sql.getNextException() != null ? sql.getNextException() : sql;
            final String message =
                    String.valueOf(root.getMessage()).lines().findFirst().orElse("");
            final String state = root.getSQLState() == null ? "" : " [SQLState " + root.getSQLState() + "]";
            final String text = root instanceof BatchUpdateException ? "batch failed" : message;
            return root.getClass().getSimpleName() + state + ": "
                    + (text.length() > 200 ? text.substring(0, 200) + "..." : text);
        }
        return String.valueOf(failure);
    }
}
