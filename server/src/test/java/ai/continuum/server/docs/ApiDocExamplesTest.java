package ai.continuum.server.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.OneRoutingPerClass;
import ai.continuum.server.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Holds {@code server/API.md}'s examples against a real server, so the document and the product cannot drift apart:
 * the request bodies it shows are sent as written, and each answer must have exactly the fields the document shows
 * (nested objects and the items of lists included; a list the example shows with items must come back with items).
 * Two kinds of example are read: the fenced JSON blocks of the learn, recall, memory list and error sections, and the
 * inline form {@code `GET /v1/stats` → `{"tenant_id", ...}`}, where a member without a value is a field name. An
 * empty object in an example ({@code "metadata": {}}) stands for the caller's own free-form object.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiDocExamplesTest extends OneRoutingPerClass {
    private static final Path API_MD = Path.of("API.md");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** An endpoint in backticks, optionally with its request body in the next backticks. */
    private static final Pattern ENDPOINT = Pattern.compile("`(GET|POST|DELETE) (/[^`\\s?]+)`(?: `(\\{[^`]*\\})`)?");
    /** The documented answer after an endpoint: {@code → `{...}`}, optionally with a status. */
    private static final Pattern ANSWER = Pattern.compile("^\\s*→ (?:\\*\\*(\\d{3})\\*\\* )?`(\\{[^`]*\\})`");

    static String key;
    static String doc;

    @BeforeAll
    static void start() throws IOException {
        doc = Files.readString(API_MD);
        key = server.createKey("demo");
    }

    @Test
    @Order(1)
    void learnAsDocumented() throws IOException {
        final List<String> blocks = jsonBlocks(section("### POST /v1/learn"));
        final TestServer.Reply reply = server.post("/v1/learn", key, blocks.get(0));
        assertEquals(200, reply.status(), reply.body());
        assertShape("POST /v1/learn", Shape.parse(blocks.get(1)), reply.json());
    }

    @Test
    @Order(2)
    void recallAsDocumented() throws IOException {
        final List<String> blocks = jsonBlocks(section("### POST /v1/recall"));
        final TestServer.Reply reply = server.post("/v1/recall", key, blocks.get(0));
        assertEquals(200, reply.status(), reply.body());
        assertShape("POST /v1/recall", Shape.parse(blocks.get(1)), reply.json());
    }

    /** The memory list, and the concepts of a listed memory spelled as GET by id spells them. */
    @Test
    @Order(3)
    void memoryListAsDocumented() throws IOException {
        final List<String> blocks = jsonBlocks(section("### Memories"));
        final TestServer.Reply list = server.get("/v1/memories", key);
        assertEquals(200, list.status(), list.body());
        assertShape("GET /v1/memories", Shape.parse(blocks.get(0)), list.json());

        final JsonNode listed = list.json().get("memories").get(0);
        final TestServer.Reply one =
                server.get("/v1/memories/" + listed.get("id").asLong(), key);
        assertEquals(200, one.status(), one.body());
        assertEquals(one.json().get("concepts"), listed.get("concepts"), "list and GET by id spell concepts alike");
        assertTrue(listed.get("concepts").toString().contains("Billing Service"), listed.toString());
    }

    /** The error example is a real answer: the same request gets exactly that body. */
    @Test
    @Order(4)
    void errorAsDocumented() throws IOException {
        final JsonNode documented =
                JSON.readTree(jsonBlocks(section("## Errors")).get(0));
        final TestServer.Reply reply =
                server.post("/v1/recall", key, Map.of("message", "Billing Service", "max_concepts", 500));
        assertEquals(422, reply.status(), reply.body());
        assertEquals(documented, reply.json());
    }

    /** Every inline {@code `METHOD /path` → `{...}`} example the server can answer from here. */
    @Test
    @Order(5)
    void inlineAnswersAsDocumented() {
        final Map<String, String> ids = new LinkedHashMap<>();
        final List<String> checked = new ArrayList<>();
        final Matcher endpoint = ENDPOINT.matcher(doc);
        while (endpoint.find()) {
            final Matcher answer = ANSWER.matcher(doc.substring(endpoint.end()));
            if (!answer.find()) {
                continue;
            }
            final String method = endpoint.group(1);
            final String path = endpoint.group(2);
            if (path.startsWith("/v1/federation/")) {
                // These answer only on a node joined to a coordinator; FederationTest holds them against one.
                continue;
            }
            final String resolved = path.replace("{name}", "Billing%20Service")
                    .replace("{key_id}", ids.getOrDefault("key_id", "0123456789abcdef"));
            final String auth =
                    path.startsWith("/v1/keys") || path.startsWith("/v1/admin/") ? TestServer.ADMIN_KEY : key;
            final TestServer.Reply reply = switch (method) {
                case "GET" -> server.get(resolved, auth);
                case "DELETE" -> server.delete(resolved, auth);
                default -> server.post(resolved, auth, endpoint.group(3) == null ? "{}" : endpoint.group(3));
            };
            final int status = answer.group(1) == null ? 200 : Integer.parseInt(answer.group(1));
            final String name = method + " " + path;
            assertEquals(status, reply.status(), name + ": " + reply.body());
            assertShape(name, Shape.parse(answer.group(2)), reply.json());
            if (reply.json().has("key_id")) {
                ids.put("key_id", reply.json().get("key_id").asText());
            }
            checked.add(name);
        }
        for (final String expected : List.of(
                "GET /v1/stats",
                "GET /v1/continuity",
                "POST /v1/prune",
                "GET /v1/concepts",
                "GET /v1/concepts/{name}",
                "POST /v1/keys",
                "GET /v1/keys",
                "DELETE /v1/keys/{key_id}",
                "GET /v1/admin/checksum",
                "GET /v1/health",
                "GET /v1/ready")) {
            assertTrue(checked.contains(expected), "API.md no longer shows the answer of " + expected + ": " + checked);
        }
    }

    private static String section(final String heading) {
        final int start = doc.indexOf("\n" + heading + "\n");
        assertTrue(start >= 0, "API.md has no section '" + heading + "'");
        final int next = doc.indexOf("\n#", start + heading.length() + 2);
        return doc.substring(start, next < 0 ? doc.length() : next);
    }

    private static List<String> jsonBlocks(final String text) {
        final List<String> blocks = new ArrayList<>();
        final Matcher m =
                Pattern.compile("```json\\n(.*?)\\n```", Pattern.DOTALL).matcher(text);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        assertFalse(blocks.isEmpty(), "no JSON example in: " + text);
        return blocks;
    }

    private static void assertShape(final String endpoint, final Shape documented, final JsonNode actual) {
        final List<String> problems = new ArrayList<>();
        documented.compare(actual, endpoint, problems);
        assertTrue(problems.isEmpty(), "API.md and the server differ:\n  " + String.join("\n  ", problems));
    }

    /**
     * A documented JSON shape: an object's members, a list's item, or a leaf (a scalar, or a member written without a
     * value). Parsed leniently from JSON and from the document's field-name lists ({@code {"a", "b": {...}}}, with
     * {@code ...} where content is elided).
     */
    sealed interface Shape {
        Shape LEAF = new Leaf();

        void compare(JsonNode actual, String where, List<String> problems);

        static Shape parse(final String text) {
            return new Parser(text).value();
        }
    }

    record Leaf() implements Shape {
        @Override
        public void compare(final JsonNode actual, final String where, final List<String> problems) {}
    }

    record Obj(Map<String, Shape> members) implements Shape {
        @Override
        public void compare(final JsonNode actual, final String where, final List<String> problems) {
            if (actual == null || !actual.isObject()) {
                problems.add(where + ": documented as an object, answered " + actual);
                return;
            }
            if (members.isEmpty()) {
                return; // {} in an example is a caller's free-form object (metadata): any members.
            }
            final TreeSet<String> answered = new TreeSet<>();
            actual.fieldNames().forEachRemaining(answered::add);
            final TreeSet<String> documented = new TreeSet<>(members.keySet());
            if (!answered.equals(documented)) {
                final TreeSet<String> missing = new TreeSet<>(documented);
                missing.removeAll(answered);
                final TreeSet<String> undocumented = new TreeSet<>(answered);
                undocumented.removeAll(documented);
                problems.add(where + ": documented but not answered " + missing + ", answered but not documented "
                        + undocumented);
            }
            members.forEach((name, shape) -> {
                if (actual.has(name)) {
                    shape.compare(actual.get(name), where + "." + name, problems);
                }
            });
        }
    }

    record Arr(Shape item) implements Shape {
        @Override
        public void compare(final JsonNode actual, final String where, final List<String> problems) {
            if (actual == null || !actual.isArray()) {
                problems.add(where + ": documented as a list, answered " + actual);
                return;
            }
            if (item instanceof Obj) {
                if (actual.isEmpty()) {
                    problems.add(where + ": the example shows items, the server answered none");
                    return;
                }
                for (int i = 0; i < actual.size(); i++) {
                    item.compare(actual.get(i), where + "[" + i + "]", problems);
                }
            }
        }
    }

    /** Recursive descent over the lenient notation; {@code ...} is an elided value or member. */
    static final class Parser {
        private static final Pattern TOKEN =
                Pattern.compile("\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|\\.\\.\\.|[{}\\[\\]:,]|[^\\s{}\\[\\]:,\"]+)");
        private final List<String> tokens = new ArrayList<>();
        private int at;

        Parser(final String text) {
            final Matcher m = TOKEN.matcher(text);
            while (m.lookingAt()) {
                tokens.add(m.group(1));
                m.region(m.end(), text.length());
            }
        }

        private String peek() {
            return at < tokens.size() ? tokens.get(at) : "";
        }

        private String next() {
            return tokens.get(at++);
        }

        Shape value() {
            return switch (peek()) {
                case "{" -> object();
                case "[" -> array();
                default -> {
                    next();
                    yield Shape.LEAF;
                }
            };
        }

        private Shape object() {
            next();
            final Map<String, Shape> members = new LinkedHashMap<>();
            while (!peek().equals("}")) {
                final String token = next();
                if (token.startsWith("\"")) {
                    Shape shape = Shape.LEAF;
                    if (peek().equals(":")) {
                        next();
                        shape = value();
                    }
                    members.put(token.substring(1, token.length() - 1), shape);
                }
                if (peek().equals(",")) {
                    next();
                }
            }
            next();
            return new Obj(members);
        }

        private Shape array() {
            next();
            Shape item = Shape.LEAF;
            while (!peek().equals("]")) {
                final Shape element = value();
                if (element instanceof Obj) {
                    item = element;
                }
                if (peek().equals(",")) {
                    next();
                }
            }
            next();
            return new Arr(item);
        }
    }
}
