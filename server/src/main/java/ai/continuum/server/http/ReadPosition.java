package ai.continuum.server.http;

import ai.continuum.server.core.ContinuumCore;
import ai.continuum.server.core.LearnReceipt;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Read your writes across instances. A durable write answers its tenant's chain position ({@value #RESPONSE_HEADER}
 * header and {@code position} field); a read that carries a position ({@value #FIELD} body field, {@value #HEADER}
 * header, or {@value #FIELD} query parameter on GETs) is served only once this instance's engine holds the tenant's
 * ops up to it, waiting at most the configured read wait ({@code fleet.read-wait-ms}), else 503 with
 * {@code Retry-After}. Positions are per tenant (the tenant comes from the key), so a position is only meaningful to
 * the tenant whose write answered it. Stateless.
 */
final class ReadPosition {
    static final String HEADER = "Continuum-Min-Position";
    static final String FIELD = "min_position";
    static final String RESPONSE_HEADER = "Continuum-Position";
    private static final HeaderName HEADER_NAME = HeaderNames.create(HEADER);
    private static final HeaderName RESPONSE_HEADER_NAME = HeaderNames.create(RESPONSE_HEADER);

    private ReadPosition() {}

    /** Waits for the position a request body or header carries (the larger of the two when both do). */
    static void await(final ServerRequest req, final Body body, final ContinuumCore core, final String tenant) {
        final long fromBody = body == null ? 0 : body.optionalLong(FIELD, 0, 0, Long.MAX_VALUE);
        awaitPosition(core, tenant, Math.max(fromBody, fromHeaderOrQuery(req)));
    }

    /** Adds the write's position header (durable writes only: an async write's position is not known yet). */
    static void answer(final ServerResponse res, final LearnReceipt receipt) {
        if (receipt.durable()) {
            answer(res, receipt.position());
        }
    }

    /** Adds the position header of a committed write. */
    static void answer(final ServerResponse res, final long position) {
        res.header(RESPONSE_HEADER_NAME, Long.toString(position));
    }

    private static long fromHeaderOrQuery(final ServerRequest req) {
        long position = 0;
        final var header = req.headers().first(HEADER_NAME);
        if (header.isPresent()) {
            position = parse(header.get(), "header '" + HEADER + "'");
        }
        final var query = req.query().first(FIELD);
        if (query.isPresent() && !query.get().isEmpty()) {
            position = Math.max(position, parse(query.get(), "query parameter '" + FIELD + "'"));
        }
        return position;
    }

    private static long parse(final String raw, final String what) {
        try {
            final long n = Long.parseLong(raw.strip());
            if (n >= 0) {
                return n;
            }
        } catch (final NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest(
                what + " must be a chain position (an integer >= 0), got '" + Body.abbreviate(raw) + "'");
    }

    private static void awaitPosition(final ContinuumCore core, final String tenant, final long position) {
        if (position > 0 && !core.awaitPosition(tenant, position)) {
            throw ApiException.unavailable(
                    "this instance has not yet applied position " + position + " of tenant "
                            + tenant + " (it holds " + core.appliedPosition(tenant) + " after waiting "
                            + core.fleet().readWaitMillis() + " ms); retry, or read through another instance",
                    1);
        }
    }
}
