/**
 * The application core shared by the HTTP API and the CLI: it ties the engine (live state, recall) to storage
 * (durability) and fixes the order of every write. Thread-safe: request threads call it concurrently; the engine
 * serialises its own writes, storage commits in submission order, and the engine side of a durable write runs on the
 * single engine-apply thread, in commit order (docs/DESIGN.md section 3).
 */
package ai.continuum.server.core;
