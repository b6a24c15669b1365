package ai.continuum.server.cli;

import ai.continuum.server.config.ServerConfig;
import ai.continuum.server.core.PruneReceipt;
import ai.continuum.server.http.Json;
import ai.continuum.server.http.PruneResource;
import com.fasterxml.jackson.core.type.TypeReference;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code continuum prune}: removes one tenant's weak links, as {@code POST /v1/prune} does, in-process. */
@Command(
        name = "prune",
        mixinStandardHelpOptions = true,
        description = "Remove a tenant's links whose strength is below a threshold (as POST /v1/prune).")
final class PruneCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--tenant", paramLabel = "TENANT", description = "Tenant (default: auth.default-tenant).")
    String tenant;

    @Option(
            names = "--min-strength",
            paramLabel = "S",
            defaultValue = "" + PruneResource.DEFAULT_MIN_STRENGTH,
            description = "Links strictly below this strength, in [0, 1], are removed (default ${DEFAULT-VALUE}).")
    double minStrength;

    @Option(names = "--no-decay", description = "Judge strength by count alone, without time decay.")
    boolean noDecay;

    @Option(names = "--json", description = "Print JSON: the answer of POST /v1/prune.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (!(minStrength >= 0.0 && minStrength <= 1.0)) {
            throw new IllegalArgumentException("--min-strength must be in [0, 1], got " + minStrength);
        }
        final ServerConfig config = options.load();
        final String t = Tenants.resolve(tenant, config);
        try (LocalRuntime runtime = LocalRuntime.open(config)) {
            final PruneReceipt receipt = runtime.core().prune(t, minStrength, !noDecay, null);
            final PruneResource.PruneView view = PruneResource.PruneView.of(t, receipt);
            if (json) {
                System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(view));
            } else {
                final Map<String, Object> fields = Json.MAPPER.convertValue(view, new TypeReference<>() {});
                fields.forEach((k, v) -> System.out.printf("%-20s %s%n", k, v));
            }
        }
        return 0;
    }
}
