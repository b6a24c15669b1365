package ai.continuum.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Answers requests Helidon rejects before routing (an unparsable request line or header, an oversized prologue) in
 * the API's error shape instead of Helidon's plain text. Server-side failures get a generic message. Stateless.
 */
public final class JsonDirectHandler implements DirectHandler {
    private static final int MAX_MESSAGE = 200;

    /** One handler for every event type. */
    public static DirectHandlers handlers() {
        final DirectHandlers.Builder builder = DirectHandlers.builder();
        final JsonDirectHandler handler = new JsonDirectHandler();
        for (final EventType type : EventType.values()) {
            builder.addHandler(type, handler);
        }
        return builder.build();
    }

    @Override
    public TransportResponse handle(
            final TransportRequest request,
            final EventType eventType,
            final Status status,
            final ServerResponseHeaders headers,
            final String message) {
        final int code = status.code();
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", ApiException.codeFor(code));
        body.put("message", code >= 500 && code != 505 ? "internal error; see the server log" : printable(message));
        final byte[] bytes;
        try {
            bytes = Json.MAPPER.writeValueAsBytes(body);
        } catch (final JsonProcessingException e) {
            return TransportResponse.builder().status(status).headers(headers).build();
        }
        return TransportResponse.builder()
                .status(status)
                .headers(headers)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .entity(bytes)
                .build();
    }

    private static String printable(final String message) {
        if (message == null || message.isBlank()) {
            return "the request could not be parsed";
        }
        final StringBuilder out = new StringBuilder(Math.min(message.length(), MAX_MESSAGE));
        for (int i = 0; i < message.length() && out.length() < MAX_MESSAGE; i++) {
            final char c = message.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return new String(out.toString().getBytes(StandardCharsets.US_ASCII), StandardCharsets.US_ASCII);
    }
}
