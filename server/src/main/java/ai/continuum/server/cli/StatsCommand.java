package ai.continuum.server.cli;

import ai.continuum.server.config.ServerConfig;
import ai.continuum.server.http.Json;
import ai.continuum.server.http.StatsResource;
import com.fasterxml.jackson.core.type.TypeReference;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code continuum stats}: counts of one tenant's memory. */
@Command(name = "stats", aliases = "status", mixinStandardHelpOptions = true, description = "Show a tenant's counts.")
final class StatsCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--tenant", paramLabel = "TENANT", description = "Tenant (default: auth.default-tenant).")
    String tenant;

    @Option(names = "--json", description = "Print JSON: the answer of GET /v1/stats.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        final ServerConfig config = options.load();
        final String t = Tenants.resolve(tenant, config);
        try (LocalRuntime runtime = LocalRuntime.open(config)) {
            final StatsResource.StatsView view = StatsResource.StatsView.of(
                    t,
                    config.instanceId(),
                    runtime.core().stats(t),
                    runtime.core().queueDepth());
            if (json) {
                System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(view));
            } else {
                final Map<String, Object> fields = Json.MAPPER.convertValue(view, new TypeReference<>() {});
                fields.forEach((k, v) -> System.out.printf("%-18s %s%n", k, v));
                System.out.printf(
                        "%-18s %s%n", "tenants", runtime.core().tenants().size());
            }
        }
        return 0;
    }
}
