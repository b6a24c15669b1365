/**
 * The memory core: learn turns into deltas, merge deltas into every tenant's off-heap concept graph, recall by
 * spreading activation. {@link ai.continuum.engine.MemoryEngine} is the entry point and documents the thread model:
 * writes serialised by one lock, reads lock-free under per-concept sequence locks. Depends only on Chronicle Map and
 * Agrona; knows nothing of HTTP, SQL, JSON or configuration files.
 */
package ai.continuum.engine;
