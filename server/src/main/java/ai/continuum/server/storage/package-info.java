/**
 * SQL storage of Continuum: makes the engine's state durable and gives it back on start. Every change (a learned
 * delta, a forget, a prune) is {@link ai.continuum.server.storage.Storage#submit submitted} as a
 * {@link ai.continuum.server.storage.StorageOp} to a bounded queue; one dedicated writer thread
 * ({@code WriteBehindWriter}, an Agrona agent) commits queued ops in batches, one transaction per batch, together
 * with each op's change-log row and continuity hash link, and completes the ops' futures once the commit is durable
 * (on SQLite, once {@code LogSyncer} synced the log, one batch's sync overlapping the next batch's statements), in
 * commit order. Request threads never write data tables themselves (API key inserts and revocations
 * excepted); they read through a connection pool. Schema changes are Flyway migrations under
 * {@code db/migration/<backend>}; SQLite is the embedded default, PostgreSQL the shared one.
 */
package ai.continuum.server.storage;
