package ai.continuum.server.mcp;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One tenant's memory as the MCP tools use it. Every answer is the HTTP API's response body for the same operation
 * (server/API.md), so an agent sees the same shapes whichever way it is connected. Failures are
 * {@link ai.continuum.server.http.ApiException}s carrying the API's status and error code. Arguments arrive already
 * validated by {@link McpTools}.
 */
public interface MemoryOperations {
    JsonNode recall(String message, int maxConcepts, int maxMemories);

    JsonNode learn(String userMessage, String aiResponse, String sessionId);

    /** Newest first; {@code keyword} and {@code sessionId} may be null (no filter). */
    JsonNode searchMemories(String keyword, String sessionId, int limit, int offset);

    JsonNode getMemory(long id);

    JsonNode forgetMemory(long id);

    /** Newest first; {@code type} may be null (every type). */
    JsonNode listConcepts(String type, int limit, int offset);

    /** The concept (any case) with its strongest {@code limit} neighbours. */
    JsonNode concept(String name, int limit);

    JsonNode stats();

    JsonNode continuity();
}
