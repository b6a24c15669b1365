package ai.continuum.server.mcp;

import ai.continuum.server.http.ApiException;
import ai.continuum.server.http.Body;
import ai.continuum.server.http.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The MCP tools: name, description and JSON Schema of each, and the call that validates arguments and runs it on a
 * tenant's {@link MemoryOperations}. Descriptions say when an agent should use the tool and what it gets back; limits
 * and defaults are those of the HTTP API (server/API.md). Argument checks are the API's own ({@link Body}); a bad
 * argument is an {@link InvalidArguments} (the protocol answers JSON-RPC -32602), a failed operation an
 * {@link ApiException} (the protocol answers a tool result with {@code isError}). Stateless and thread-safe.
 */
public final class McpTools {
    /** Entity types accepted by {@code list_concepts} (as {@code GET /v1/concepts} accepts them, server/API.md "Concepts"). */
    private static final List<String> TYPES =
            List.of("concept", "decision", "session", "person", "project", "tool", "topic", "compound_concept");

    private static final int MAX_LIMIT = 100;

    /** Arguments that do not fit the tool's schema; the message names the argument. */
    public static final class InvalidArguments extends RuntimeException {
        InvalidArguments(final String message) {
            super(message, null, false, false);
        }
    }

    @FunctionalInterface
    private interface Call {
        JsonNode run(Body args, MemoryOperations ops);
    }

    private record Tool(
            String name,
            String title,
            String description,
            ObjectNode inputSchema,
            boolean readOnly,
            boolean destructive,
            Call call) {}

    private final Map<String, Tool> tools = new LinkedHashMap<>();

    public McpTools() {
        add(
                "recall",
                "Recall memory",
                """
            Recall what the memory holds about a message: call it before answering the user, with the user's \
            message. Returns a context block ready to put in a prompt, plus the related concepts (with relevance), \
            the relationships between them (with strength) and the past conversation turns (memories, with score) \
            that explain it.""",
                """
            {"type":"object","properties":{
              "message":{"type":"string","minLength":1,"description":"The user's message (or any query) to recall for."},
              "max_concepts":{"type":"integer","minimum":1,"maximum":100,"default":10,"description":"Most concepts to return."},
              "max_memories":{"type":"integer","minimum":0,"maximum":100,"default":5,"description":"Most past turns to return."}},
             "required":["message"],"additionalProperties":false}""",
                true,
                false,
                (a, ops) -> ops.recall(
                        a.requiredText("message"),
                        a.optionalInt("max_concepts", 10, 1, 100),
                        a.optionalInt("max_memories", 5, 0, 100)));
        add("learn", "Learn a conversation turn", """
            Learn from one finished conversation turn: call it after answering, with the user's message and your \
            answer. Extracts concepts, decisions and their relationships and stores the turn as a memory. Returns \
            the counts extracted and the new memory's id (usable with get_memory and forget_memory).""", """
            {"type":"object","properties":{
              "user_message":{"type":"string","minLength":1,"description":"What the user said."},
              "ai_response":{"type":"string","minLength":1,"description":"What the assistant answered."},
              "session_id":{"type":"string","maxLength":256,"description":"Conversation or session id, to group turns."}},
             "required":["user_message","ai_response"],"additionalProperties":false}""", false, false, (a, ops) -> {
            final String session = a.optionalText("session_id");
            if (session != null && session.length() > 256) {
                throw new InvalidArguments("argument 'session_id' is longer than 256 characters");
            }
            return ops.learn(a.requiredText("user_message"), a.requiredText("ai_response"), session);
        });
        add("search_memories", "Search memories", """
            List stored memories (past conversation turns), newest first, optionally only those containing every \
            word of a keyword query or from one session. Use it to browse or to find a memory's id; use recall to \
            answer a question.""", """
            {"type":"object","properties":{
              "keyword":{"type":"string","description":"Words every returned memory contains (any case)."},
              "session_id":{"type":"string","description":"Only memories of this session."},
              "limit":{"type":"integer","minimum":1,"maximum":100,"default":20},
              "offset":{"type":"integer","minimum":0,"default":0}},
             "additionalProperties":false}""", true, false, (a, ops) -> {
            final String keyword = a.optionalText("keyword");
            return ops.searchMemories(
                    keyword == null || keyword.isBlank() ? null : keyword,
                    a.optionalText("session_id"),
                    a.optionalInt("limit", 20, 1, MAX_LIMIT),
                    a.optionalInt("offset", 0, 0, Integer.MAX_VALUE));
        });
        add("get_memory", "Get one memory", """
            Fetch one memory by id: the user message, the answer, the session, the time and the concepts \
            extracted from it.""", """
            {"type":"object","properties":{"id":{"type":"integer","minimum":1,"description":"The memory id."}},
             "required":["id"],"additionalProperties":false}""", true, false, (a, ops) -> ops.getMemory(id(a)));
        add("forget_memory", "Forget one memory", """
            Permanently delete one memory by id, for example when the user asks you to forget something. The \
            concepts learnt from it stay; it no longer appears in recall or search. Cannot be undone.""", """
            {"type":"object","properties":{"id":{"type":"integer","minimum":1,"description":"The memory id."}},
             "required":["id"],"additionalProperties":false}""", false, true, (a, ops) -> ops.forgetMemory(id(a)));
        add("list_concepts", "List concepts", """
            List the concepts the memory knows (people, projects, tools, topics, decisions...), newest first, \
            optionally of one type, with the total count.""", """
            {"type":"object","properties":{
              "entity_type":{"type":"string","enum":["concept","decision","session","person","project","tool","topic","compound_concept"]},
              "limit":{"type":"integer","minimum":1,"maximum":100,"default":50},
              "offset":{"type":"integer","minimum":0,"default":0}},
             "additionalProperties":false}""", true, false, (a, ops) -> {
            final String type = a.optionalText("entity_type");
            if (type != null && !TYPES.contains(type)) {
                throw new InvalidArguments(
                        "argument 'entity_type' must be one of " + String.join(", ", TYPES) + ", got '" + type + "'");
            }
            return ops.listConcepts(
                    type, a.optionalInt("limit", 50, 1, MAX_LIMIT), a.optionalInt("offset", 0, 0, 1_000_000));
        });
        add(
                "concept_neighbours",
                "Concept neighbours",
                """
            Show one concept (name in any case) and the concepts most strongly associated with it, strongest \
            first, each with its link strength (0..1), how often they co-occurred and when last. Use it to explore \
            what the memory connects to a person, project or topic.""",
                """
            {"type":"object","properties":{
              "name":{"type":"string","minLength":1,"description":"The concept's name, e.g. 'PostgreSQL'."},
              "limit":{"type":"integer","minimum":0,"maximum":100,"default":10,"description":"Most neighbours to return."}},
             "required":["name"],"additionalProperties":false}""",
                true,
                false,
                (a, ops) -> ops.concept(a.requiredText("name"), a.optionalInt("limit", 10, 0, 100)));
    }

    private void add(
            final String name,
            final String title,
            final String description,
            final String schema,
            final boolean readOnly,
            final boolean destructive,
            final Call call) {
        try {
            tools.put(
                    name,
                    new Tool(
                            name,
                            title,
                            description,
                            (ObjectNode) Json.MAPPER.readTree(schema),
                            readOnly,
                            destructive,
                            call));
        } catch (final JsonProcessingException e) {
            throw new IllegalStateException("schema of tool " + name + " is not JSON", e);
        }
    }

    /** The {@code tools/list} entries. */
    public ArrayNode list() {
        final ArrayNode list = Json.MAPPER.createArrayNode();
        for (final Tool t : tools.values()) {
            final ObjectNode node = list.addObject();
            node.put("name", t.name());
            node.put("title", t.title());
            node.put("description", t.description());
            node.set("inputSchema", t.inputSchema().deepCopy());
            final ObjectNode annotations = node.putObject("annotations");
            annotations.put("title", t.title());
            annotations.put("readOnlyHint", t.readOnly());
            annotations.put("destructiveHint", t.destructive());
            annotations.put("idempotentHint", t.readOnly());
            annotations.put("openWorldHint", false);
        }
        return list;
    }

    public List<String> names() {
        return new ArrayList<>(tools.keySet());
    }

    /**
     * Runs tool {@code name} with {@code arguments} (null means none).
     *
     * @throws InvalidArguments for an unknown tool or arguments that do not fit its schema.
     * @throws ApiException     when the operation fails (not found, unavailable...).
     */
    public JsonNode call(final String name, final JsonNode arguments, final MemoryOperations ops) {
        final Tool tool = Optional.ofNullable(tools.get(name))
                .orElseThrow(() -> new InvalidArguments(
                        "unknown tool '" + name + "'; the tools are " + String.join(", ", tools.keySet())));
        final ObjectNode args;
        if (arguments == null || arguments.isNull()) {
            args = Json.MAPPER.createObjectNode();
        } else if (arguments.isObject()) {
            args = (ObjectNode) arguments;
        } else {
            throw new InvalidArguments("arguments of tool '" + name + "' must be a JSON object");
        }
        final JsonNode properties = tool.inputSchema().get("properties");
        for (final Iterator<String> it = args.fieldNames(); it.hasNext(); ) {
            final String field = it.next();
            if (!properties.has(field)) {
                throw new InvalidArguments("tool '" + name + "' has no argument '" + field + "'; its arguments are "
                        + String.join(", ", iterable(properties.fieldNames())));
            }
        }
        try {
            return tool.call().run(Body.of(args), ops);
        } catch (final ApiException e) {
            if (e.status() == 400 || e.status() == 422) {
                throw new InvalidArguments(e.getMessage().replace("field '", "argument '"));
            }
            throw e;
        }
    }

    private static long id(final Body args) {
        final long id = args.requiredLong("id");
        if (id < 1) {
            throw new InvalidArguments("argument 'id' must be a positive integer, got " + id);
        }
        return id;
    }

    private static List<String> iterable(final Iterator<String> it) {
        final List<String> list = new ArrayList<>();
        it.forEachRemaining(list::add);
        return list;
    }
}
