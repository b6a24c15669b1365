/**
 * The CI performance smoke check: reads a JMH JSON result file, normalises each score by the calibration score of the
 * same run, and compares it with the committed baseline, failing on a large regression. A command-line program; runs
 * single-threaded on the caller's thread.
 */
package ai.continuum.benchmarks.smoke;
