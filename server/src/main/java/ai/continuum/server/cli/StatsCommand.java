package ai.continuum.server.cli;

import ai.continuum.engine.TenantStats;
import ai.continuum.server.config.ServerConfig;
import ai.continuum.server.http.Json;
import java.util.LinkedHashMap;
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

    @Option(names = "--json", description = "Print JSON (the API's stats fields).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        final ServerConfig config = options.load();
        final String t = Tenants.resolve(tenant, config);
        try (LocalRuntime runtime = LocalRuntime.open(config)) {
            final TenantStats s = runtime.core().stats(t);
            final Map<String, Object> view = new LinkedHashMap<>();
            view.put("tenant_id", t);
            view.put("instance_id", config.instanceId());
            view.put("entities", s.concepts());
            view.put("messages", s.memories());
            view.put("decisions", s.decisions());
            view.put("attention_links", s.links());
            view.put("compound_concepts", s.compounds());
            view.put("tenants", runtime.core().tenants().size());
            if (json) {
                System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(view));
            } else {
                view.forEach((k, v) -> System.out.printf("%-18s %s%n", k, v));
            }
        }
        return 0;
    }
}
