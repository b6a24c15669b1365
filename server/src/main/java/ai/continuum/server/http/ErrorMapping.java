package ai.continuum.server.http;

import ai.continuum.engine.SizeLimitExceededException;
import ai.continuum.server.auth.SlowHashGate;
import ai.continuum.server.core.MemoryPressureException;
import ai.continuum.server.core.WriteOutcomeUnknownException;
import ai.continuum.server.storage.QueueFullException;
import ai.continuum.server.storage.StorageUnavailableException;
import io.helidon.http.BadRequestException;
import io.helidon.http.HttpException;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place exceptions become HTTP responses, all in the shape {@code {"error": code, "message": text}}:
 * {@link ApiException} keeps its status; a full write queue, an unavailable database and a write refused near the
 * memory limit are 503 with {@code Retry-After}; Helidon's own request exceptions keep their 4xx status; anything else
 * is a 500 with a generic message (the details go to the log, never to the client). Stateless.
 */
public final class ErrorMapping {
    private static final Logger LOG = Logger.getLogger(ErrorMapping.class.getName());

    private ErrorMapping() {}

    public static void register(final HttpRouting.Builder routing) {
        routing.error(ApiException.class, (req, res, e) -> send(res, e))
                .error(SizeLimitExceededException.class, (req, res, e) -> send(res, tooLarge(e)))
                .error(WriteOutcomeUnknownException.class, (req, res, e) -> {
                    LOG.log(
                            Level.WARNING,
                            "write outcome unknown on "
                                    + req.prologue().method().text() + " "
                                    + req.path().rawPath(),
                            e);
                    send(
                            res,
                            new ApiException(
                                    500,
                                    "outcome_unknown",
                                    "the write was accepted but its commit did not "
                                            + "finish in time or could not be confirmed on disk; it may or may not be applied: check "
                                            + "before retrying, or retry with the same Idempotency-Key"));
                })
                .error(
                        QueueFullException.class,
                        (req, res, e) -> send(
                                res,
                                new ApiException(
                                        503,
                                        "queue_full",
                                        e.getMessage(),
                                        Map.of("Retry-After", Integer.toString(Math.max(1, e.retryAfterSeconds()))))))
                .error(
                        MemoryPressureException.class,
                        (req, res, e) -> send(
                                res,
                                new ApiException(
                                        503,
                                        "memory_pressure",
                                        e.getMessage(),
                                        Map.of(
                                                "Retry-After",
                                                Integer.toString(MemoryPressureException.RETRY_AFTER_SECONDS)))))
                .error(StorageUnavailableException.class, (req, res, e) -> {
                    LOG.log(
                            Level.WARNING,
                            "storage unavailable on " + req.prologue().method().text() + " "
                                    + req.path().rawPath(),
                            e);
                    // The driver's message (exception class, SQLState, database and host names) stays in the log above.
                    send(
                            res,
                            ApiException.unavailable("storage is unavailable; nothing was applied; retry shortly", 5));
                })
                .error(
                        SlowHashGate.KeyCheckBusyException.class,
                        (req, res, e) -> send(res, ApiException.unavailable(e.getMessage(), 1)))
                .error(BadRequestException.class, (req, res, e) -> send(res, ApiException.badRequest(e.getMessage())))
                .error(HttpException.class, (req, res, e) -> {
                    final int status = e.status().code();
                    send(
                            res,
                            new ApiException(
                                    status,
                                    ApiException.codeFor(status),
                                    status >= 500 ? "internal error" : e.getMessage()));
                })
                .error(Throwable.class, (req, res, e) -> {
                    LOG.log(
                            Level.SEVERE,
                            "unhandled error on " + req.prologue().method().text() + " "
                                    + req.path().rawPath(),
                            e);
                    send(res, new ApiException(500, "internal_error", "internal error; see the server log"));
                });
    }

    /** 413 {@code size_limit_exceeded}: the message names the limit, its value and the size found. */
    public static ApiException tooLarge(final SizeLimitExceededException e) {
        return new ApiException(413, "size_limit_exceeded", e.getMessage() + "; nothing was written");
    }

    /** Writes {@code e} as the error body, unless the response was already sent. */
    public static void send(final ServerResponse res, final ApiException e) {
        if (res.isSent()) {
            return;
        }
        e.headers().forEach(res::header);
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.code());
        body.put("message", e.getMessage());
        Json.send(res, e.status(), body);
    }
}
