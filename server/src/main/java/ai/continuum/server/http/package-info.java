/**
 * The web layer under {@code /v1}: one {@link io.helidon.webserver.http.HttpService} per resource, each
 * {@code routing()} a table of method references; request parsing and validation
 * ({@link ai.continuum.server.http.Body}); the one error shape ({@link ai.continuum.server.http.ApiException},
 * {@link ai.continuum.server.http.ErrorMapping}); the filters in front of every route (metrics, authentication, rate
 * limit, loading gate); and the routing table ({@link ai.continuum.server.http.ApiRouting}). Handlers run on Helidon's
 * virtual threads as plain blocking code, hold no state of their own and delegate to
 * {@link ai.continuum.server.core.ContinuumCore}.
 */
package ai.continuum.server.http;
