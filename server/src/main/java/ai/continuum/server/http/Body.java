package ai.continuum.server.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.common.buffers.DataReader;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;

/**
 * A request's JSON object body with typed, validated field access. Every failure is an {@link ApiException} naming
 * the field: 413 for a body over the limit, 415 for a non-JSON content type, 400 for malformed JSON or a non-object,
 * 422 for a missing field, a wrong type or a value out of range. Strings may not hold NUL characters or unpaired
 * surrogates (neither survives every storage backend intact). Not thread-safe; one per request.
 */
public final class Body {
    /** Asks the server to close a connection whose request stream can no longer be trusted. */
    private static final Map<String, String> CLOSE = Map.of("Connection", "close");

    private final ObjectNode root;

    private Body(final ObjectNode root) {
        this.root = root;
    }

    /** Field access over an already parsed object (the arguments of an MCP tool call), with the same checks. */
    public static Body of(final ObjectNode root) {
        return new Body(root);
    }

    /** Reads and parses the body, refusing more than {@code maxBytes} without buffering the excess. */
    public static Body read(final ServerRequest req, final long maxBytes) {
        final var contentType = req.headers().first(HeaderNames.CONTENT_TYPE);
        if (contentType.isPresent() && !isJson(contentType.get())) {
            throw new ApiException(
                    415,
                    "unsupported_media_type",
                    "Content-Type '" + contentType.get() + "' is not supported: send application/json");
        }
        return parse(readLimited(req, maxBytes));
    }

    /**
     * Parses a body already read. Jackson's stream limits (nesting depth 1,000, numbers of 1,000 characters, strings
     * of 20M characters) refuse hostile documents with a 400 like any other malformed JSON; those refusals carry no
     * location, so the message names one only when the parser knows it.
     */
    public static Body parse(final byte[] bytes) {
        if (bytes.length == 0) {
            throw ApiException.badRequest("request body is empty: expected a JSON object");
        }
        final JsonNode node;
        try {
            node = Json.MAPPER.readTree(bytes);
        } catch (final JsonProcessingException e) {
            final JsonLocation at = e.getLocation();
            throw ApiException.badRequest("request body is not valid JSON: " + e.getOriginalMessage()
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
        } catch (final IOException e) {
            throw ApiException.badRequest("request body cannot be read: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("request body must be a JSON object, got "
                    + (node == null ? "nothing" : node.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        return new Body((ObjectNode) node);
    }

    /** A required non-blank string. */
    public String requiredText(final String field) {
        final String value = optionalText(field);
        if (value == null) {
            throw ApiException.invalid("field '" + field + "' is required and must be a non-empty string");
        }
        if (value.isBlank()) {
            throw ApiException.invalid("field '" + field + "' must not be empty");
        }
        return value;
    }

    /** A string, or null when absent or JSON null. */
    public String optionalText(final String field) {
        final JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.invalid("field '" + field + "' must be a string, got " + typeOf(node));
        }
        return checkText(field, node.textValue());
    }

    public int optionalInt(final String field, final int defaultValue, final int min, final int max) {
        final JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return defaultValue;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < min || node.intValue() > max) {
            throw ApiException.invalid("field '" + field + "' must be an integer in [" + min + ", " + max + "], got "
                    + abbreviate(node.toString()));
        }
        return node.intValue();
    }

    /** A required integer that fits a long. */
    public long requiredLong(final String field) {
        final JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw ApiException.invalid("field '" + field + "' is required and must be an integer");
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw ApiException.invalid("field '" + field + "' must be an integer, got " + abbreviate(node.toString()));
        }
        return node.longValue();
    }

    /** An optional whole number in {@code [min, max]}, or {@code defaultValue} when absent or null. */
    public long optionalLong(final String field, final long defaultValue, final long min, final long max) {
        final JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return defaultValue;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < min || node.longValue() > max) {
            throw ApiException.invalid("field '" + field + "' must be an integer in [" + min + ", " + max + "], got "
                    + abbreviate(node.toString()));
        }
        return node.longValue();
    }

    /** An optional finite number (integer or decimal) in {@code [min, max]}, or {@code defaultValue} when absent or null. */
    public double optionalDouble(final String field, final double defaultValue, final double min, final double max) {
        final JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return defaultValue;
        }
        final double value = node.isNumber() ? node.doubleValue() : Double.NaN;
        if (!(value >= min && value <= max)) {
            throw ApiException.invalid("field '" + field + "' must be a number in [" + min + ", " + max + "], got "
                    + abbreviate(node.toString()));
        }
        return value;
    }

    /** Refuses (422) a field outside {@code allowed}: a misspelt option must not silently fall back to its default. */
    public void onlyFields(final java.util.Set<String> allowed) {
        for (final var it = root.fieldNames(); it.hasNext(); ) {
            final String field = it.next();
            if (!allowed.contains(field)) {
                throw ApiException.invalid("unknown field '" + abbreviate(field) + "': expected "
                        + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
        }
    }

    public boolean optionalBool(final String field, final boolean defaultValue) {
        final JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return defaultValue;
        }
        if (!node.isBoolean()) {
            throw ApiException.invalid("field '" + field + "' must be true or false, got " + typeOf(node));
        }
        return node.booleanValue();
    }

    /** An optional JSON object, returned as compact JSON text ("" when absent). */
    public String optionalObjectJson(final String field) {
        final JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return "";
        }
        if (!node.isObject()) {
            throw ApiException.invalid("field '" + field + "' must be a JSON object, got " + typeOf(node));
        }
        final String json = node.toString();
        checkText(field, json);
        return json;
    }

    static String checkText(final String field, final String value) {
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            if (c == '\0') {
                throw ApiException.invalid(
                        "field '" + field + "' contains a NUL character (\\u0000), which is not " + "allowed");
            }
            final boolean pair = Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1));
            if (pair) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw ApiException.invalid("field '" + field + "' contains an unpaired UTF-16 surrogate at index " + i);
            }
        }
        return value;
    }

    private static boolean isJson(final String contentType) {
        final String mediaType = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json") || mediaType.endsWith("+json");
    }

    static long parseLength(final String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (final NumberFormatException e) {
            throw ApiException.badRequest("Content-Length '" + abbreviate(value) + "' is not a number");
        }
    }

    /**
     * The raw body, refusing (413) more than {@code maxBytes} without buffering the excess: a declared
     * {@code Content-Length} above the limit before anything is read, a chunked body once it passes the limit.
     */
    static byte[] readLimited(final ServerRequest req, final long maxBytes) {
        final var header = req.headers().first(HeaderNames.CONTENT_LENGTH);
        final long declared = header.isPresent() ? parseLength(header.get()) : -1;
        if (declared > maxBytes) {
            throw tooLarge(maxBytes);
        }
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        try (InputStream in = req.content().inputStream()) {
            if (declared >= 0) {
                // read into an array of the declared size: an open-ended read copies even a 100-byte body through
                // chunks of 16 KiB, a quarter of what a recall over HTTP allocated
                final byte[] bytes = new byte[(int) declared];
                if (in.readNBytes(bytes, 0, bytes.length) < bytes.length) {
                    throw endedEarly();
                }
                return bytes;
            }
            final byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw tooLarge(maxBytes);
            }
            return bytes;
        } catch (final IOException | DataReader.InsufficientDataAvailableException e) {
            // Helidon reports a peer that closed before the declared length with the latter (unchecked)
            throw endedEarly();
        } catch (final IllegalArgumentException e) {
            // Helidon's chunked decoder reports a malformed chunk size as a NumberFormatException. The stream is out
            // of step after it, so the connection is closed with the answer.
            throw new ApiException(400, "bad_request", "request body is not valid chunked transfer encoding", CLOSE);
        }
    }

    private static ApiException endedEarly() {
        return new ApiException(
                400, "bad_request", "request body cannot be read: the connection failed or ended early", CLOSE);
    }

    private static ApiException tooLarge(final long maxBytes) {
        return new ApiException(
                413,
                "payload_too_large",
                "request body exceeds the limit of " + maxBytes + " bytes (server.max-body-bytes)");
    }

    private static String typeOf(final JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    static String abbreviate(final String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
