/**
 * Deterministic synthetic workloads for the benchmarks: a power-law concept graph streamed as engine deltas, the
 * recall queries that name its concepts, and conversation turns for learn. Everything is a pure function of its seed,
 * so two runs on two machines measure the same work. Generators are single-threaded objects; create one per thread.
 */
package ai.continuum.benchmarks.data;
