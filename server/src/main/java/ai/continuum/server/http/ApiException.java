package ai.continuum.server.http;

import java.util.Map;

/**
 * A request that cannot be served, with its HTTP status, a stable machine-readable {@code error} code and a message
 * that names the offending field or value. Rendered as {@code {"error": code, "message": text}} by
 * {@link ErrorMapping}; never carries a stack trace to the client.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final Map<String, String> headers;

    public ApiException(final int status, final String code, final String message, final Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.headers = Map.copyOf(headers);
    }

    public ApiException(final int status, final String code, final String message) {
        this(status, code, message, Map.of());
    }

    public static ApiException badRequest(final String message) {
        return new ApiException(400, "bad_request", message);
    }

    public static ApiException invalid(final String message) {
        return new ApiException(422, "validation_error", message);
    }

    public static ApiException notFound(final String message) {
        return new ApiException(404, "not_found", message);
    }

    public static ApiException unavailable(final String message, final int retryAfterSeconds) {
        return new ApiException(503, "unavailable", message,
            Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
