package ai.continuum.server.cli;

import ai.continuum.engine.Turn;
import ai.continuum.server.config.ServerConfig;
import ai.continuum.server.core.LearnReceipt;
import ai.continuum.server.http.Json;
import ai.continuum.server.http.LearnResource;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code continuum learn USER AI}: learns one turn into a tenant of the data directory. With {@code --concept}, the
 * two arguments are a concept NAME and its DESCRIPTION, learned as the turn "I want to teach you about: NAME" /
 * "I understand. NAME is: DESCRIPTION" (the upstream CLI's form).
 */
@Command(name = "learn", mixinStandardHelpOptions = true, description = "Learn one conversation turn.")
final class LearnCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Parameters(index = "0", paramLabel = "USER", description = "What the user said (or NAME with --concept).")
    String user;

    @Parameters(index = "1", paramLabel = "AI", description = "What the assistant answered (or DESCRIPTION).")
    String ai;

    @Option(names = "--concept", description = "Treat the arguments as NAME and DESCRIPTION.")
    boolean concept;

    @Option(names = "--session", paramLabel = "ID", description = "Session the turn belongs to.")
    String session;

    @Option(names = "--tenant", paramLabel = "TENANT", description = "Tenant (default: auth.default-tenant).")
    String tenant;

    @Option(names = "--json", description = "Print the result as JSON (the API's learn response).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        final ServerConfig config = options.load();
        final String t = Tenants.resolve(tenant, config);
        final String userText = concept ? "I want to teach you about: " + user : user;
        final String aiText = concept ? "I understand. " + user + " is: " + ai : ai;
        try (LocalRuntime runtime = LocalRuntime.open(config)) {
            final Turn turn = new Turn(
                    runtime.core().nextMemoryId(), userText, aiText, "", session, "", System.currentTimeMillis());
            final LearnReceipt receipt = runtime.core().learn(t, turn, false);
            final LearnResource.LearnView view = LearnResource.view(t, receipt);
            if (json) {
                System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(view));
            } else {
                System.out.printf(
                        "learned memory %d for tenant %s: %d concepts, %d decisions, %d new links%n",
                        view.memoryId(), t, view.conceptsExtracted(), view.decisionsDetected(), view.linksCreated());
            }
        }
        return 0;
    }
}
