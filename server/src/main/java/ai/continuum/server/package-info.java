/**
 * The Continuum service: {@link ai.continuum.server.ContinuumServer} wires configuration, engine, storage, metrics,
 * authentication and the web server together and owns their lifecycle. Started and closed from one thread; everything
 * it builds is thread-safe.
 */
package ai.continuum.server;
