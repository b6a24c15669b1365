/**
 * Continuum as a library: {@link ai.continuum.server.embed.Continuum} opens the engine and storage in the calling
 * process (SQLite or PostgreSQL) and offers learn, recall, export and import without a server. Every operation runs on
 * the caller's thread (commits on the storage writer, engine applies on the core's apply thread) and is thread-safe.
 */
package ai.continuum.server.embed;
