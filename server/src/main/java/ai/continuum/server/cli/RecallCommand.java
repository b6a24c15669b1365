package ai.continuum.server.cli;

import ai.continuum.engine.EngineConfig;
import ai.continuum.engine.RecallResult;
import ai.continuum.server.config.ServerConfig;
import ai.continuum.server.http.Json;
import ai.continuum.server.http.RecallResource;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code continuum recall QUERY}: prints the memory context block (or the API's JSON with {@code --json}). */
@Command(
        name = "recall",
        aliases = "search",
        mixinStandardHelpOptions = true,
        description = "Recall what the memory holds about a query.")
final class RecallCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Parameters(index = "0", paramLabel = "QUERY", description = "The message to recall for.")
    String query;

    /** How long a recall with recall.semantic.enabled waits for the stored memories to be embedded. */
    private static final long SEMANTIC_WAIT_MILLIS = 120_000;

    @Option(
            names = "--max-concepts",
            paramLabel = "N",
            defaultValue = "" + EngineConfig.DEFAULT_MAX_CONCEPTS,
            description = "1.." + EngineConfig.MAX_CONCEPTS_LIMIT + " (default ${DEFAULT-VALUE}).")
    int maxConcepts;

    @Option(
            names = "--max-memories",
            paramLabel = "N",
            defaultValue = "" + EngineConfig.DEFAULT_MAX_MEMORIES,
            description = "0.." + EngineConfig.MAX_MEMORIES_LIMIT + " (default ${DEFAULT-VALUE}).")
    int maxMemories;

    @Option(names = "--tenant", paramLabel = "TENANT", description = "Tenant (default: auth.default-tenant).")
    String tenant;

    @Option(names = "--json", description = "Print the API's recall response as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (maxConcepts < 1
                || maxConcepts > EngineConfig.MAX_CONCEPTS_LIMIT
                || maxMemories < 0
                || maxMemories > EngineConfig.MAX_MEMORIES_LIMIT) {
            throw new IllegalArgumentException("--max-concepts must be in [1, " + EngineConfig.MAX_CONCEPTS_LIMIT
                    + "] and --max-memories in [0, " + EngineConfig.MAX_MEMORIES_LIMIT + "], got " + maxConcepts
                    + " and "
                    + maxMemories);
        }
        final ServerConfig config = options.load();
        final String t = Tenants.resolve(tenant, config);
        try (LocalRuntime runtime = LocalRuntime.open(config)) {
            if (!runtime.core().awaitSemanticIndex(SEMANTIC_WAIT_MILLIS)) {
                System.err.println("continuum: the semantic index is still embedding the stored memories; this recall "
                        + "finds the rest by words and graph");
            }
            final RecallResult result = runtime.core().recall(t, query, maxConcepts, maxMemories);
            if (json) {
                System.out.println(Json.MAPPER
                        .writerWithDefaultPrettyPrinter()
                        .writeValueAsString(RecallResource.view(t, result)));
            } else if (result.context().isEmpty()) {
                System.out.println("nothing recalled in tenant '" + t + "' for: " + query);
            } else {
                System.out.println(result.context());
            }
        }
        return 0;
    }
}
