package ai.continuum.server.http;

import io.helidon.webserver.http.ServerRequest;

/** Query and path parameters, validated; failures are 400s naming the parameter. Stateless. */
public final class Params {
    private Params() {}

    public static int queryInt(
            final ServerRequest req, final String name, final int defaultValue, final int min, final int max) {
        final var value = req.query().first(name);
        if (value.isEmpty() || value.get().isEmpty()) {
            return defaultValue;
        }
        try {
            final int n = Integer.parseInt(value.get().strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (final NumberFormatException e) {
            // reported below with the allowed range
        }
        throw ApiException.badRequest("query parameter '" + name + "' must be an integer in [" + min + ", " + max
                + "], got '" + Body.abbreviate(value.get()) + "'");
    }

    /** An optional query string, or null. */
    public static String queryText(final ServerRequest req, final String name) {
        final var value = req.query().first(name);
        return value.isEmpty() || value.get().isEmpty() ? null : Body.checkText(name, value.get());
    }

    public static String path(final ServerRequest req, final String name) {
        return Body.checkText(name, req.path().pathParameters().get(name));
    }

    public static long pathLong(final ServerRequest req, final String name) {
        final String raw = req.path().pathParameters().get(name);
        try {
            final long n = Long.parseLong(raw);
            if (n > 0) {
                return n;
            }
        } catch (final NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest(
                "path parameter '" + name + "' must be a positive integer, got '" + Body.abbreviate(raw) + "'");
    }
}
