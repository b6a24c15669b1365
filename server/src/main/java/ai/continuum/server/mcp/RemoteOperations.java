package ai.continuum.server.mcp;

import ai.continuum.server.http.ApiException;
import ai.continuum.server.http.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A tenant's memory on a running server, through its HTTP API with an API key (the tenant is the key's):
 * {@code continuum mcp --stdio --url URL --key KEY} for an agent on a machine that does not hold the data. Error
 * answers come back as {@link ApiException}s with the server's status, code and message; a server that cannot be
 * reached is a 503 {@code unavailable}. Thread-safe (the JDK client is).
 */
public final class RemoteOperations implements MemoryOperations {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI base;
    private final String key;

    /** @param base the server's base URL, e.g. {@code http://127.0.0.1:8080}. */
    public RemoteOperations(final URI base, final String key) {
        final String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        this.key = key;
    }

    @Override
    public JsonNode recall(final String message, final int maxConcepts, final int maxMemories) {
        return post(
                "/v1/recall",
                body().put("message", message).put("max_concepts", maxConcepts).put("max_memories", maxMemories));
    }

    @Override
    public JsonNode learn(final String userMessage, final String aiResponse, final String sessionId) {
        final ObjectNode body = body().put("user_message", userMessage).put("ai_response", aiResponse);
        if (sessionId != null) {
            body.put("session_id", sessionId);
        }
        return post("/v1/learn", body);
    }

    @Override
    public JsonNode searchMemories(final String keyword, final String sessionId, final int limit, final int offset) {
        final ObjectNode body = body().put("limit", limit).put("offset", offset);
        if (keyword != null) {
            body.put("keyword", keyword);
        }
        if (sessionId != null) {
            body.put("session_id", sessionId);
        }
        return post("/v1/memories/search", body);
    }

    @Override
    public JsonNode getMemory(final long id) {
        return send(HttpRequest.newBuilder(uri("/v1/memories/" + id)).GET());
    }

    @Override
    public JsonNode forgetMemory(final long id) {
        return send(HttpRequest.newBuilder(uri("/v1/memories/" + id)).DELETE());
    }

    @Override
    public JsonNode listConcepts(final String type, final int limit, final int offset) {
        final String filter = type == null ? "" : "&entity_type=" + encode(type);
        return send(HttpRequest.newBuilder(uri("/v1/concepts?limit=" + limit + "&offset=" + offset + filter))
                .GET());
    }

    @Override
    public JsonNode concept(final String name, final int limit) {
        return send(
                HttpRequest.newBuilder(uri("/v1/concepts/" + encode(name).replace("+", "%20") + "?neighbours=" + limit))
                        .GET());
    }

    @Override
    public JsonNode stats() {
        return send(HttpRequest.newBuilder(uri("/v1/stats")).GET());
    }

    @Override
    public JsonNode continuity() {
        return send(HttpRequest.newBuilder(uri("/v1/continuity")).GET());
    }

    private static ObjectNode body() {
        return Json.MAPPER.createObjectNode();
    }

    private static String encode(final String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private URI uri(final String pathAndQuery) {
        return URI.create(base + pathAndQuery);
    }

    private JsonNode post(final String path, final ObjectNode body) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    private JsonNode send(final HttpRequest.Builder request) {
        final HttpResponse<String> response;
        try {
            response = http.send(
                    request.header("X-API-Key", key)
                            .header("Accept", "application/json")
                            .timeout(TIMEOUT)
                            .build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (final IOException e) {
            throw ApiException.unavailable("the server at " + base + " cannot be reached: " + e.getMessage(), 5);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while calling " + base, 1);
        }
        final JsonNode json;
        try {
            json = Json.MAPPER.readTree(response.body());
        } catch (final JsonProcessingException e) {
            throw new ApiException(
                    502,
                    "bad_gateway",
                    "the server at " + base + " answered " + response.statusCode() + " with a body that is not JSON");
        }
        if (response.statusCode() >= 400) {
            throw new ApiException(
                    response.statusCode(),
                    json.path("error").asText("error"),
                    json.path("message").asText("HTTP " + response.statusCode()));
        }
        return json;
    }
}
