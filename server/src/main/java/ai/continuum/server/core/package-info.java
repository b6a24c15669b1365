/**
 * The application core: {@code ContinuumCore} is the one door of the HTTP API, MCP, the CLI's engine commands and the
 * embedding API, tying the engine (live state, recall) to storage (durability) and fixing the order of every write.
 * Thread-safe: request threads call it concurrently; storage commits in submission order, and every change of engine
 * state after start runs on the single engine-apply thread ({@code EngineApplier}), in commit order (docs/DESIGN.md
 * sections 2 and 3).
 */
package ai.continuum.server.core;
