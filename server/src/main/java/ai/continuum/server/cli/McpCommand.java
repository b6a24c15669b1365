package ai.continuum.server.cli;

import ai.continuum.server.config.ServerConfig;
import ai.continuum.server.core.Version;
import ai.continuum.server.http.Json;
import ai.continuum.server.mcp.CoreOperations;
import ai.continuum.server.mcp.McpProtocol;
import ai.continuum.server.mcp.MemoryOperations;
import ai.continuum.server.mcp.RemoteOperations;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code continuum mcp --stdio}: the MCP server for a local agent runtime, speaking newline-delimited JSON-RPC on
 * stdin/stdout (the protocol's stdio transport); logs go to stderr only. On the local data directory by default, as
 * one tenant; with {@code --url} and {@code --key} (or {@code CONTINUUM_API_KEY}) it forwards every call to a running
 * server as the key's tenant instead. Ends when stdin closes.
 */
@Command(
        name = "mcp",
        mixinStandardHelpOptions = true,
        description = "Serve the Model Context Protocol on stdin/stdout for a local agent runtime.")
final class McpCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(
            names = "--stdio",
            required = true,
            description = "Speak MCP over stdin/stdout (the only local transport; "
                    + "the server itself serves MCP over HTTP at /mcp).")
    boolean stdio;

    @Option(
            names = "--tenant",
            paramLabel = "TENANT",
            description = "Tenant on the local store (default: "
                    + "auth.default-tenant). Not with --url: there the key decides.")
    String tenant;

    @Option(
            names = "--url",
            paramLabel = "URL",
            description = "Forward to the server at URL instead of opening the " + "local data directory.")
    URI url;

    @Option(names = "--key", paramLabel = "KEY", description = "API key for --url (default: env CONTINUUM_API_KEY).")
    String key;

    @Override
    public Integer call() throws Exception {
        // Only protocol messages may reach stdout: anything else printed by this process goes to stderr.
        final PrintStream protocolOut =
                new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        System.setOut(System.err);
        final McpProtocol protocol = new McpProtocol(Version.current());
        if (url != null) {
            if (tenant != null) {
                throw new IllegalArgumentException(
                        "--tenant cannot be used with --url: the API key decides the " + "tenant");
            }
            final String apiKey = key != null ? key : System.getenv("CONTINUUM_API_KEY");
            if (apiKey == null || apiKey.isBlank()) {
                throw new IllegalArgumentException("--url needs an API key: --key or CONTINUUM_API_KEY");
            }
            serve(protocol, new RemoteOperations(url, apiKey), protocolOut);
            return 0;
        }
        if (key != null) {
            throw new IllegalArgumentException("--key is only for --url; the local store needs no key");
        }
        final ServerConfig config = options.load();
        try (LocalRuntime runtime = LocalRuntime.open(config)) {
            serve(
                    protocol,
                    new CoreOperations(runtime.core(), Tenants.resolve(tenant, config), config.instanceId()),
                    protocolOut);
        }
        return 0;
    }

    /** One message per line in, one answer per line out, until end of input. */
    private static void serve(final McpProtocol protocol, final MemoryOperations ops, final PrintStream out)
            throws Exception {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode answer;
                try {
                    answer = protocol.handle(Json.MAPPER.readTree(line), ops).orElse(null);
                } catch (final JsonProcessingException e) {
                    answer = McpProtocol.parseError(e.getOriginalMessage());
                }
                if (answer != null) {
                    out.print(Json.MAPPER.writeValueAsString(answer));
                    out.print('\n');
                    out.flush();
                }
            }
        }
    }
}
