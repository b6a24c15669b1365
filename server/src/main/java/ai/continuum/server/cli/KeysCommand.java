package ai.continuum.server.cli;

import ai.continuum.server.ContinuumServer;
import ai.continuum.server.auth.ApiKeyAuthenticator;
import ai.continuum.server.auth.ApiKeyFormat;
import ai.continuum.server.config.ServerConfig;
import ai.continuum.server.http.Json;
import ai.continuum.server.http.KeysResource;
import ai.continuum.server.storage.ApiKeys;
import ai.continuum.server.storage.Storage;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code continuum keys create|list|revoke}: API keys in the data directory's database. */
@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = "Manage API keys.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand {

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Create a key for a tenant and print it (shown only this once).")
    static final class Create implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Option(names = "--tenant", required = true, paramLabel = "TENANT", description = "Tenant the key acts on.")
        String tenant;

        @Option(names = "--name", paramLabel = "NAME", defaultValue = "", description = "A label for the key.")
        String name;

        @Override
        public Integer call() {
            final ServerConfig config = options.load();
            final String t = Tenants.resolve(tenant, config);
            try (Storage storage = ContinuumServer.openStorage(config)) {
                final ApiKeyAuthenticator.CreatedKey key =
                        ApiKeyAuthenticator.forManagement(storage.apiKeys()).create(t, name, "cli");
                System.out.println(key.apiKey());
                System.err.println("key " + key.keyId() + " for tenant " + t + " created; store it now, it is shown "
                        + "only once");
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys (never their secrets).")
    static final class ListKeys implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Option(names = "--json", description = "Print JSON: the answer of GET /v1/keys.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            final ServerConfig config = options.load();
            try (Storage storage = ContinuumServer.openStorage(config)) {
                final List<ApiKeys.StoredKey> keys = storage.apiKeys().list();
                if (json) {
                    System.out.println(Json.MAPPER
                            .writerWithDefaultPrettyPrinter()
                            .writeValueAsString(KeysResource.KeyList.of(keys)));
                } else {
                    System.out.printf(
                            "%-16s  %-20s  %-20s  %-8s  %s%n", "KEY_ID", "TENANT", "NAME", "STATE", "CREATED");
                    for (final ApiKeys.StoredKey k : keys) {
                        System.out.printf(
                                "%-16s  %-20s  %-20s  %-8s  %s%n",
                                k.keyId(), k.tenant(), k.name(), k.revoked() ? "revoked" : "active", k.createdAt());
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key by its id.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Parameters(index = "0", paramLabel = "KEY_ID", description = "The 16 hex characters after cm_.")
        String keyId;

        @Override
        public Integer call() {
            if (!ApiKeyFormat.isKeyId(keyId)) {
                throw new IllegalArgumentException("KEY_ID '" + keyId + "' must be 16 lower-case hex characters");
            }
            final ServerConfig config = options.load();
            try (Storage storage = ContinuumServer.openStorage(config)) {
                if (!ApiKeyAuthenticator.forManagement(storage.apiKeys()).revoke(keyId, "cli")) {
                    System.err.println("no key " + keyId);
                    return 1;
                }
                System.out.println("revoked " + keyId + " (a running server stops accepting it within "
                        + ContinuumServer.KEY_CACHE_TTL.toSeconds() + " s)");
            }
            return 0;
        }
    }
}
