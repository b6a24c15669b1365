package ai.continuum.server.cli;

import ai.continuum.server.auth.AdminKey;
import ai.continuum.server.config.ServerConfig;
import ai.continuum.server.federation.GroupKey;
import ai.continuum.server.federation.HourlyLimits;
import ai.continuum.server.federation.coordinator.CoordinatorServer;
import ai.continuum.server.federation.coordinator.CoordinatorSettings;
import ai.continuum.server.federation.node.CoordinatorClient;
import ai.continuum.server.logging.LogSetup;
import ai.continuum.server.tls.ListenerTls;
import ai.continuum.server.tls.ProbeTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code continuum federation ...}: run a coordinator, administer it (mint enrolment tokens, revoke nodes), make a
 * group key, and drive this service's membership (join, sync, status, leave) through its admin API. See
 * server/FEDERATION.md.
 */
@Command(
        name = "federation",
        mixinStandardHelpOptions = true,
        description = "Share learned patterns with other organisations through a coordinator (server/FEDERATION.md).",
        subcommands = {
            FederationCommand.Coordinator.class,
            FederationCommand.Keygen.class,
            FederationCommand.Enrol.class,
            FederationCommand.Revoke.class,
            FederationCommand.Nodes.class,
            FederationCommand.Join.class,
            FederationCommand.Sync.class,
            FederationCommand.Status.class,
            FederationCommand.Leave.class
        })
final class FederationCommand {
    private FederationCommand() {}

    /** {@code continuum federation coordinator}: the coordinator service, until SIGTERM or SIGINT. */
    @Command(
            name = "coordinator",
            mixinStandardHelpOptions = true,
            description = "Run the federation coordinator (its own port and data directory).")
    static final class Coordinator implements Callable<Integer> {
        @Option(names = "--host", defaultValue = "${env:CONTINUUM_COORDINATOR_HOST:-127.0.0.1}")
        String host;

        @Option(names = "--port", defaultValue = "${env:CONTINUUM_COORDINATOR_PORT:-8421}")
        int port;

        @Option(
                names = "--data-dir",
                defaultValue = "${env:CONTINUUM_COORDINATOR_DATA_DIR:-./continuum_coordinator}",
                description = "The coordinator's own data directory (coordinator.db, operator-token).")
        Path dataDir;

        @Option(
                names = "--k",
                defaultValue = "${env:CONTINUUM_COORDINATOR_K:-2}",
                description = "Release a pattern once this many organisations contributed it (default 2).")
        int threshold;

        @Option(names = "--max-skew-seconds", defaultValue = "${env:CONTINUUM_COORDINATOR_MAX_SKEW_SECONDS:-300}")
        long maxSkewSeconds;

        @Option(names = "--contribute-per-hour", defaultValue = "${env:CONTINUUM_COORDINATOR_CONTRIBUTE_PER_HOUR:-100}")
        int contributePerHour;

        @Option(names = "--requests-per-hour", defaultValue = "${env:CONTINUUM_COORDINATOR_REQUESTS_PER_HOUR:-50}")
        int requestsPerHour;

        @Option(names = "--syncs-per-hour", defaultValue = "${env:CONTINUUM_COORDINATOR_SYNCS_PER_HOUR:-10}")
        int syncsPerHour;

        @Option(names = "--heartbeats-per-hour", defaultValue = "${env:CONTINUUM_COORDINATOR_HEARTBEATS_PER_HOUR:-60}")
        int heartbeatsPerHour;

        @Option(
                names = "--tls-keystore",
                defaultValue = "${env:CONTINUUM_COORDINATOR_TLS_KEYSTORE:-}",
                description = "PKCS#12 key store with the TLS key and certificate (without: plain HTTP).")
        String tlsKeystore;

        @Option(
                names = "--tls-password-file",
                defaultValue = "${env:CONTINUUM_COORDINATOR_TLS_PASSWORD_FILE:-}",
                description = "File holding the key store's password.")
        String tlsPasswordFile;

        @Option(
                names = "--tls-reload-seconds",
                defaultValue = "${env:CONTINUUM_COORDINATOR_TLS_RELOAD_SECONDS:-60}",
                description = "How often the key store is checked for a renewed certificate (0: only at start).")
        int tlsReloadSeconds;

        @Option(
                names = "--operator-token-file",
                defaultValue = "${env:CONTINUUM_COORDINATOR_OPERATOR_TOKEN_FILE:-}",
                description = "File holding the operator's token (default: DATA_DIR/operator-token, generated once).")
        String operatorTokenFile;

        @Option(
                names = "--database-url",
                defaultValue = "${env:CONTINUUM_COORDINATOR_CONNECTION_STRING:-}",
                description = "PostgreSQL connection string for the coordinator's database (jdbc:postgresql://... or"
                        + " postgresql://user:password@host:port/db); without it, SQLite in DATA_DIR/coordinator.db.")
        String databaseUrl;

        @Option(names = "--log-format", defaultValue = "${env:CONTINUUM_LOG_FORMAT:-text}")
        String logFormat;

        @Override
        public Integer call() throws InterruptedException {
            LogSetup.apply(logFormat, "info");
            final Map<HourlyLimits.Kind, Integer> limits = new EnumMap<>(HourlyLimits.Kind.class);
            limits.put(HourlyLimits.Kind.CONTRIBUTE, contributePerHour);
            limits.put(HourlyLimits.Kind.REQUEST, requestsPerHour);
            limits.put(HourlyLimits.Kind.SYNC, syncsPerHour);
            limits.put(HourlyLimits.Kind.HEARTBEAT, heartbeatsPerHour);
            final CoordinatorSettings settings = new CoordinatorSettings(
                    host,
                    port,
                    dataDir,
                    threshold,
                    maxSkewSeconds,
                    limits,
                    tlsKeystore.isBlank() ? null : Path.of(tlsKeystore),
                    tlsPasswordFile.isBlank() ? null : read(Path.of(tlsPasswordFile)),
                    tlsReloadSeconds,
                    operatorToken(),
                    databaseUrl);
            final CoordinatorServer server = CoordinatorServer.start(settings);
            System.out.println("Continuum federation coordinator listening on " + (settings.tls() ? "https" : "http")
                    + "://" + host + ":" + server.port());
            System.out.flush();
            final CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "coordinator-shutdown"));
            if (StopSignals.install(stop)) {
                stop.await();
                server.close();
            } else {
                new CountDownLatch(1).await();
            }
            return 0;
        }

        /** The configured token, or the one in the data directory, generated (mode 600) on the first start. */
        private String operatorToken() {
            if (!operatorTokenFile.isBlank()) {
                return read(Path.of(operatorTokenFile));
            }
            final Path file = dataDir.resolve("operator-token");
            try {
                Files.createDirectories(dataDir);
                if (!Files.exists(file)) {
                    final byte[] raw = new byte[32];
                    new SecureRandom().nextBytes(raw);
                    writePrivate(file, Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
                    System.out.println("Generated the operator token in " + file + " (mode 600)");
                }
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot create the operator token " + file, e);
            }
            return read(file);
        }
    }

    /** {@code continuum federation keygen FILE}: a new group key, written with mode 600, never printed. */
    @Command(
            name = "keygen",
            mixinStandardHelpOptions = true,
            description =
                    "Write a new federation group key to FILE (mode 600). Share it only with member organisations.")
    static final class Keygen implements Callable<Integer> {
        @Parameters(paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() {
            try {
                writePrivate(file, GroupKey.generate());
            } catch (final FileAlreadyExistsException e) {
                throw new IllegalStateException(file + " exists; a group key is never overwritten");
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
            System.out.println("Wrote a group key to " + file + " (key id "
                    + GroupKey.fromFile(file).keyId() + ")");
            return 0;
        }
    }

    /** Options of the operator's commands. */
    static final class OperatorOptions {
        @Option(
                names = "--coordinator",
                required = true,
                defaultValue = "${env:CONTINUUM_FEDERATION_URL}",
                description = "The coordinator's URL (default: CONTINUUM_FEDERATION_URL).")
        String coordinator;

        @Option(names = "--operator-token-file", required = true, paramLabel = "FILE")
        Path tokenFile;

        @Option(names = "--ca-file", paramLabel = "PEM", description = "CA certificate of the coordinator's TLS.")
        Path caFile;

        HttpResponse<String> send(final String method, final String path, final String body) {
            final HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
            if (caFile != null) {
                builder.sslContext(CoordinatorClient.trusting(caFile));
            }
            final String base =
                    coordinator.endsWith("/") ? coordinator.substring(0, coordinator.length() - 1) : coordinator;
            return exchange(
                    builder,
                    "the coordinator " + base,
                    HttpRequest.newBuilder(URI.create(base + path))
                            .timeout(Duration.ofSeconds(20))
                            .header("Authorization", "Bearer " + read(tokenFile)),
                    method,
                    body);
        }
    }

    /** An operator's command: one request to the coordinator's operator routes, its answer printed. */
    abstract static class OperatorCall implements Callable<Integer> {
        @Mixin
        OperatorOptions operator;

        private final String method;

        OperatorCall(final String method) {
            this.method = method;
        }

        abstract String path();

        String body() {
            return "";
        }

        @Override
        public Integer call() {
            return print(operator.send(method, path(), body()));
        }
    }

    /** {@code continuum federation enrol --org ORG}: mints a single-use enrolment token (operator). */
    @Command(
            name = "enrol",
            mixinStandardHelpOptions = true,
            description = "Mint a single-use enrolment token for an organisation's node (coordinator operator).")
    static final class Enrol extends OperatorCall {
        @Option(names = "--org", required = true, paramLabel = "ORG")
        String org;

        Enrol() {
            super("POST");
        }

        @Override
        String path() {
            return "/federation/admin/enrolments";
        }

        @Override
        String body() {
            return "{\"org_id\":" + quote(org) + "}";
        }
    }

    /** {@code continuum federation revoke NODE}: the node's requests are refused and its contributions retracted. */
    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a node (coordinator operator).")
    static final class Revoke extends OperatorCall {
        @Parameters(paramLabel = "NODE_ID")
        String node;

        Revoke() {
            super("POST");
        }

        @Override
        String path() {
            return "/federation/admin/nodes/" + node + "/revoke";
        }
    }

    /** {@code continuum federation nodes}: the member nodes and their accounts (operator). */
    @Command(name = "nodes", mixinStandardHelpOptions = true, description = "List member nodes (coordinator operator).")
    static final class Nodes extends OperatorCall {
        Nodes() {
            super("GET");
        }

        @Override
        String path() {
            return "/federation/admin/nodes";
        }
    }

    /** Options of the commands that drive this service's membership through its admin API. */
    static final class LocalOptions {
        @Mixin
        ConfigOptions options;

        @Option(
                names = "--url",
                paramLabel = "URL",
                description = "The service (default http://127.0.0.1:<port>, https:// when server.tls is set).")
        String url;

        @Option(
                names = {"--cacert", "--ca-file"},
                paramLabel = "PEM",
                defaultValue = "${env:CONTINUUM_CLI_CA_FILE}",
                description = "PEM CA bundle an https --url's certificate must chain to (default: the JDK's trusted "
                        + "CAs; env CONTINUUM_CLI_CA_FILE).")
        Path caFile;

        HttpResponse<String> send(final String method, final String path, final String body) {
            final ServerConfig config = options.load();
            final HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
            final String base;
            if (url != null) {
                base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
                if (caFile != null) {
                    client.sslContext(trusting(caFile));
                }
            } else if (config.tls().enabled()) {
                // This host's own server: its certificate names the service, not 127.0.0.1, so no host name check
                // can pass; the admin key goes only to the listener presenting the certificate the configuration
                // holds (ProbeTls.pinned), or to one chaining to --cacert.
                base = "https://127.0.0.1:" + config.port();
                if (caFile != null) {
                    client.sslContext(trusting(caFile));
                } else {
                    final X509Certificate own = ListenerTls.load(config.tls()).leaf();
                    client.sslContext(ProbeTls.pinned(() -> own));
                }
            } else {
                base = "http://127.0.0.1:" + config.port();
            }
            return exchange(
                    client,
                    "the service " + base,
                    HttpRequest.newBuilder(URI.create(base + path))
                            .timeout(Duration.ofMinutes(5))
                            .header("X-API-Key", adminKey(config)),
                    method,
                    body);
        }

        private static String adminKey(final ServerConfig config) {
            if (!config.adminKey().isEmpty()) {
                return config.adminKey();
            }
            final Path file = config.dataDir().resolve(AdminKey.FILE_NAME);
            if (!Files.exists(file)) {
                throw new IllegalStateException("no admin key: set CONTINUUM_ADMIN_KEY or point --data-dir at the "
                        + "service's data directory (it holds " + AdminKey.FILE_NAME + ")");
            }
            return read(file);
        }
    }

    private static SSLContext trusting(final Path caFile) {
        try {
            return ProbeTls.trusting(caFile);
        } catch (final IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("--cacert " + caFile + " cannot be read as PEM certificates: " + e, e);
        }
    }

    /** A membership command: one request to this service's admin API, its answer printed. */
    abstract static class LocalCall implements Callable<Integer> {
        @Mixin
        LocalOptions local;

        private final String method;
        private final String path;

        LocalCall(final String method, final String path) {
            this.method = method;
            this.path = path;
        }

        String body() {
            return "";
        }

        @Override
        public Integer call() {
            return print(local.send(method, path, body()));
        }
    }

    /** {@code continuum federation join --token TOKEN}. */
    @Command(
            name = "join",
            mixinStandardHelpOptions = true,
            description = "Join the federation with an enrolment token from the coordinator's operator.")
    static final class Join extends LocalCall {
        @Option(names = "--token", required = true, paramLabel = "TOKEN")
        String token;

        Join() {
            super("POST", "/v1/federation/join");
        }

        @Override
        String body() {
            return "{\"enrolment_token\":" + quote(token) + "}";
        }
    }

    /** {@code continuum federation sync}. */
    @Command(name = "sync", mixinStandardHelpOptions = true, description = "Contribute and pull now.")
    static final class Sync extends LocalCall {
        Sync() {
            super("POST", "/v1/federation/sync");
        }
    }

    /** {@code continuum federation status}. */
    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "This node's membership, sync lag and contribution standing.")
    static final class Status extends LocalCall {
        Status() {
            super("GET", "/v1/federation/status");
        }
    }

    /** {@code continuum federation leave}. */
    @Command(
            name = "leave",
            mixinStandardHelpOptions = true,
            description = "Leave: retract every contribution and remove the pulled patterns.")
    static final class Leave extends LocalCall {
        Leave() {
            super("POST", "/v1/federation/leave");
        }
    }

    /** Sends {@code request} with a JSON {@code body}; {@code peer} names who did not answer in the error. */
    private static HttpResponse<String> exchange(
            final HttpClient.Builder client,
            final String peer,
            final HttpRequest.Builder request,
            final String method,
            final String body) {
        try (HttpClient http = client.build()) {
            return http.send(
                    request.header("Content-Type", "application/json")
                            .method(method, HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (final IOException e) {
            throw new UncheckedIOException(peer + " did not answer: " + e.getMessage(), e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static int print(final HttpResponse<String> response) {
        System.out.println(response.body());
        return response.statusCode() / 100 == 2 ? 0 : 1;
    }

    private static String quote(final String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(text);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(final Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static void writePrivate(final Path file, final String secret) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (final UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
    }
}
