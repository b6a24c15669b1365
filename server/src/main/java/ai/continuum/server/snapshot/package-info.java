/**
 * Engine snapshots: a checksummed image of the engine taken at known chain positions, so a new instance loads it and
 * follows the change log from there instead of rebuilding from SQL ({@link ai.continuum.server.snapshot.SnapshotStore},
 * {@link ai.continuum.server.snapshot.Checkpointer}).
 */
package ai.continuum.server.snapshot;
