/**
 * Server configuration: one immutable, validated {@link ai.continuum.server.config.ServerConfig} built once at start-up
 * from defaults, {@code application.yaml} (classpath, then the data directory or {@code --config FILE}),
 * {@code CONTINUUM_*} environment variables and command-line flags, later layers winning. Loading runs on the
 * starting thread; the resulting record is immutable and shared freely.
 */
package ai.continuum.server.config;
