/**
 * The {@code continuum} command line (picocli): {@code serve} runs the service; {@code learn}, {@code recall},
 * {@code stats}, {@code keys} and {@code doctor} work directly on a data directory by opening the engine and storage
 * in-process; {@code migrate} copies every tenant from one storage to another.
 * Each command runs on the main thread and exits; output meant for people or scripts goes to standard output, logs to
 * standard error.
 */
package ai.continuum.server.cli;
