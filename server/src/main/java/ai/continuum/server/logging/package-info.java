/**
 * Log output: java.util.logging configured once at start-up to write one line per record to standard error, as text
 * or as JSON objects ({@code CONTINUUM_LOG_FORMAT}). Formatting is stateless; the handler synchronises its writes.
 */
package ai.continuum.server.logging;
