/**
 * JMH benchmarks that pin the engine to the targets of docs/DESIGN.md section 8: recall latency, learn throughput, plus a
 * pure-JDK calibration workload that the CI smoke check divides by, and plain on-heap baselines for comparison.
 * JMH owns the threads: each {@code @State} is confined to the scope its annotation names.
 */
package ai.continuum.benchmarks.engine;
