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
        return new ApiException(
                503, "unavailable", message, Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
    }

    /**
     * The stable {@code error} code for an HTTP status raised outside the API's own code (Helidon's parser and router):
     * the same codes the handlers use for the same statuses.
     */
    public static String codeFor(final int status) {
        return switch (status) {
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 408 -> "request_timeout";
            case 413 -> "payload_too_large";
            case 414 -> "uri_too_long";
            case 415 -> "unsupported_media_type";
            case 429 -> "rate_limited";
            case 431 -> "headers_too_large";
            case 503 -> "unavailable";
            case 505 -> "http_version_not_supported";
            default -> status >= 500 ? "internal_error" : "bad_request";
        };
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
