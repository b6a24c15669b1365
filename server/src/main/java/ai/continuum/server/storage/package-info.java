/**
 * SQL storage of Continuum: makes the engine's state durable and gives it back on start. The engine applies a change
 * in memory first; the change is then {@link ai.continuum.server.storage.Storage#submit submitted} as a
 * {@link ai.continuum.server.storage.StorageOp} to a bounded queue, and one dedicated writer thread
 * ({@code WriteBehindWriter}, an Agrona agent) commits queued ops in batches, one transaction per batch, together
 * with each op's change-log row and continuity hash link; an op's future completes only after its batch committed.
 * Request threads never write data tables themselves (API key inserts and revocations excepted); they read through a
 * connection pool. Schema changes are Flyway migrations under {@code db/migration/<backend>}; SQLite is the embedded
 * default, PostgreSQL the shared one.
 */
package ai.continuum.server.storage;
