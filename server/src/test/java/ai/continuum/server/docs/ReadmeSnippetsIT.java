package ai.continuum.server.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.continuum.server.NodeClients;
import ai.continuum.server.OneServerPerClass;
import ai.continuum.server.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's client snippets (the blocks after {@code <!-- snippet:NAME -->}) against a real server: Python
 * with requests, TypeScript (type-checked, then run by Node), Java (the JDK's source launcher), and the MCP
 * configuration block (its HTTP entry and its stdio command both answer an MCP initialize). A snippet whose runtime
 * is missing is skipped loudly, and fails in CI (.ci/run installs them).
 *
 * <p>Real socket: the snippets are programs of their own (Python, Node, Java, MCP) that reach the server over HTTP.
 */
class ReadmeSnippetsIT extends OneServerPerClass {
    private static final Path README = Path.of("..", "README.md");
    private static final Pattern SNIPPET =
            Pattern.compile("<!-- snippet:(\\w+) -->\\n```\\w+\\n(.*?)\\n```", Pattern.DOTALL);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    static String key;

    @BeforeAll
    static void start() {
        key = server.createKey("readme");
    }

    @Test
    void pythonSnippetShouldLearnAndRecall() throws Exception {
        requireRuntime(List.of("python3", "-c", "import requests"), "python3 with requests (apt python3-requests)");
        final Path file = write("snippet.py", snippet("python"));
        assertRecalled(run(List.of("python3", file.toString())));
    }

    @Test
    void typescriptSnippetShouldTypeCheckLearnAndRecall() throws Exception {
        final Path file = NodeClients.DIR.resolve("readme-snippet.ts");
        Files.writeString(file, snippet("typescript"));
        try {
            assertRecalled(NodeClients.run(
                    "run-ts.mjs",
                    Map.of(
                            "CONTINUUM_URL",
                            server.uri("").toString(),
                            "CONTINUUM_API_KEY",
                            key,
                            "ARG",
                            "readme-snippet.ts")));
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(NodeClients.DIR.resolve("readme-snippet.mjs"));
        }
    }

    @Test
    void javaSnippetShouldLearnAndRecall() throws Exception {
        final Path file = write("ContinuumClient.java", snippet("java"));
        final String java = ProcessHandle.current().info().command().orElse("java");
        assertRecalled(run(List.of(java, file.toString())));
    }

    @Test
    void mcpConfigurationShouldConnectOverHttpAndStdio() throws Exception {
        final JsonNode servers = JSON.readTree(snippet("mcp")).get("mcpServers");
        final JsonNode http = servers.get("continuum");
        assertEquals("http", http.get("type").asText());
        final String path = http.get("url").asText().replaceFirst("^https?://[^/]+", "");
        assertEquals("/mcp", path);
        final String headerName = http.get("headers").fieldNames().next();
        final TestServer.Reply answer = server.send(server.builder(path, null)
                .header(headerName, key)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(initialize()))
                .build());
        assertEquals(200, answer.status(), answer.body());
        assertEquals("continuum", answer.json().at("/result/serverInfo/name").asText(), answer.body());

        final JsonNode local = servers.get("continuum-local");
        final List<String> args = new ArrayList<>();
        local.get("args")
                .forEach(a -> args.add(
                        a.asText().equals("/path/to/continuum_data")
                                ? work.resolve("mcp-data").toString()
                                : a.asText()));
        final Process process = new ProcessBuilder(NodeClients.cliCommand(args.toArray(String[]::new)))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (Writer in = process.outputWriter(StandardCharsets.UTF_8);
                BufferedReader out =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            in.write(initialize() + "\n");
            in.write("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n");
            in.write("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}\n");
            in.flush();
            final JsonNode init = JSON.readTree(out.readLine());
            assertEquals("continuum", init.at("/result/serverInfo/name").asText(), init.toString());
            final JsonNode tools = JSON.readTree(out.readLine());
            assertEquals(7, tools.at("/result/tools").size(), tools.toString());
        } finally {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static String initialize() {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"readme-test\",\"version\":\"1\"}}}";
    }

    private static void assertRecalled(final String output) {
        assertTrue(output.contains("Ingrid Larsen") && output.contains("Copenhagen"), output);
    }

    private static String snippet(final String name) throws IOException {
        final Matcher m = SNIPPET.matcher(Files.readString(README));
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return m.group(2);
            }
        }
        fail("README.md has no block after <!-- snippet:" + name + " -->");
        return null;
    }

    private static Path write(final String name, final String content) throws IOException {
        final Path file = work.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    private static String run(final List<String> command) throws Exception {
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("CONTINUUM_URL", server.uri("").toString());
        builder.environment().put("CONTINUUM_API_KEY", key);
        final Process process = builder.start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "snippet did not finish: " + command);
        assertEquals(0, process.exitValue(), command + " failed:\n" + output);
        assertNotNull(output);
        return output;
    }

    private static void requireRuntime(final List<String> probe, final String what) {
        boolean present;
        try {
            present =
                    new ProcessBuilder(probe).redirectErrorStream(true).start().waitFor() == 0;
        } catch (final IOException | InterruptedException e) {
            present = false;
        }
        if (present) {
            return;
        }
        final String message = what + " is not on this machine: its README snippet is not run";
        NodeClients.skipOrFail(message);
    }
}
