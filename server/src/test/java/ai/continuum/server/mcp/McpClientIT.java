package ai.continuum.server.mcp;

import ai.continuum.server.NodeClients;
import ai.continuum.server.OneServerPerClass;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official MCP TypeScript SDK (src/test/node/mcp-client.mjs) against a real server over Streamable HTTP, and
 * against {@code continuum mcp --stdio} both on a local data directory and as a proxy to the server: tools listed,
 * learn then recall answered, bad arguments refused with MCP errors, a wrong key refused, tenants kept apart.
 *
 * <p>Real socket: the SDK runs in Node, and the stdio proxy in its own process, both reaching the server over HTTP.
 */
class McpClientIT extends OneServerPerClass {

    @TempDir
    static Path localDir;

    @Test
    void shouldServeTheOfficialSdkOverHttpAndStdio() throws Exception {
        final String keyA = server.createKey("tenant-a");
        final String keyB = server.createKey("tenant-b");
        final ObjectMapper json = new ObjectMapper();
        final String base = server.uri("").toString();
        NodeClients.run(
                "mcp-client.mjs",
                Map.of(
                        "MCP_URL",
                        base + "/mcp",
                        "KEY_A",
                        keyA,
                        "KEY_B",
                        keyB,
                        "STDIO_LOCAL",
                        json.writeValueAsString(
                                NodeClients.cliCommand("mcp", "--stdio", "--data-dir", localDir.toString())),
                        "STDIO_PROXY",
                        json.writeValueAsString(
                                NodeClients.cliCommand("mcp", "--stdio", "--url", base, "--key", keyB))));
    }
}
