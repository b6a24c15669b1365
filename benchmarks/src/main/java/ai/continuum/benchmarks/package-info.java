/**
 * Entry points of the benchmark jar: the JMH launcher that hands the engine's JVM flags to every fork, and the
 * off-heap footprint probe. Command-line programs; each runs on the thread that calls {@code main}.
 */
package ai.continuum.benchmarks;
