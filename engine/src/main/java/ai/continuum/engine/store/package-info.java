/**
 * Off-heap data structures of the engine: the chunked arena, fixed-size record stores, index hash tables, the
 * Chronicle Map string index, and the concept graph built from them. Each layout is drawn in its {@code *Layout}
 * class or the owning class's Javadoc. One writer thread mutates at a time; readers copy under sequence locks
 * ({@link ai.continuum.engine.store.SeqLock}) or read records published with release stores.
 */
package ai.continuum.engine.store;
