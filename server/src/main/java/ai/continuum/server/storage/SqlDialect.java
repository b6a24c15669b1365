package ai.continuum.server.storage;

/**
 * The few places where the SQL of the two backends differs. Everything else (upserts with {@code ON CONFLICT ... DO
 * UPDATE}, {@code LIKE ... ESCAPE}, keyset queries) is written once in standard SQL both accept.
 */
enum SqlDialect {
    SQLITE("sqlite", "max"),
    POSTGRESQL("postgresql", "GREATEST");

    private final String backend;
    private final String greatest;

    SqlDialect(final String backend, final String greatest) {
        this.backend = backend;
        this.greatest = greatest;
    }

    String backend() {
        return backend;
    }

    /** Flyway location of this backend's migrations. */
    String migrations() {
        return "classpath:db/migration/" + backend;
    }

    /** The larger of two expressions (SQLite's scalar {@code max}, PostgreSQL's {@code GREATEST}). */
    String greatest(final String a, final String b) {
        return greatest + "(" + a + ", " + b + ")";
    }
}
