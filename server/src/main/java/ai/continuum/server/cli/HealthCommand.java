package ai.continuum.server.cli;

import ai.continuum.server.config.ServerConfig;
import ai.continuum.server.tls.ProbeTls;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code continuum health}: asks a running server whether it is alive ({@code /v1/health}) or ready
 * ({@code --ready}, {@code /v1/ready}); exit 0 on HTTP 200, 1 otherwise. The container image's health check, so the
 * image needs no curl. The server is looked up on loopback at the configured port unless {@code --url} says where;
 * with the server's TLS configured ({@code server.tls.*}) that is {@code https://127.0.0.1:<port>}, and the
 * certificate is not checked there: it is issued for the service's name, not for loopback, the target is this host,
 * and the probe sends nothing secret (both paths are public). A {@code --url} is checked against the JDK's trusted
 * CAs, or {@code --cacert}.
 */
@Command(
        name = "health",
        mixinStandardHelpOptions = true,
        description = "Check a running server: exit 0 when /v1/health (or /v1/ready with --ready) answers 200.")
final class HealthCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--ready", description = "Check readiness (/v1/ready) instead of liveness (/v1/health).")
    boolean ready;

    @Option(
            names = "--url",
            paramLabel = "URL",
            description = "Base URL of the server (default http://127.0.0.1:<server.port>).")
    String url;

    @Option(
            names = "--cacert",
            paramLabel = "FILE",
            description = "PEM CA bundle to verify an https --url with (default: the JDK's trusted CAs).")
    Path caFile;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "5",
            description = "Give up after this many seconds (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() throws InterruptedException {
        final HttpClient.Builder builder = HttpClient.newBuilder();
        final String base;
        if (url != null) {
            base = stripSlash(url);
            if (!isHttpUrl(base)) {
                System.err.println("continuum: --url '" + url + "' is not an http:// or https:// URL with a host");
                return 1;
            }
            if (caFile != null) {
                try {
                    builder.sslContext(ProbeTls.trusting(caFile));
                } catch (final IOException | GeneralSecurityException e) {
                    System.err.println("continuum: --cacert " + caFile + " cannot be read as PEM certificates: " + e);
                    return 1;
                }
            }
        } else {
            final ServerConfig config = options.load();
            if (config.tls().enabled()) {
                base = "https://127.0.0.1:" + config.port();
                builder.sslContext(ProbeTls.loopback());
            } else {
                base = "http://127.0.0.1:" + config.port();
            }
        }
        final URI target = URI.create(base + (ready ? "/v1/ready" : "/v1/health"));
        final Duration timeout = Duration.ofSeconds(Math.max(1, timeoutSeconds));
        try (HttpClient client = builder.connectTimeout(timeout).build()) {
            final HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(target).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            System.out.println(response.statusCode() + " " + response.body());
            return response.statusCode() == 200 ? 0 : 1;
        } catch (IOException e) {
            System.err.println("continuum: " + target + " did not answer: " + e);
            return 1;
        }
    }

    /** Whether {@code s} parses as an absolute {@code http} or {@code https} URL naming a host. */
    private static boolean isHttpUrl(final String s) {
        try {
            final URI uri = new URI(s);
            return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null;
        } catch (final URISyntaxException e) {
            return false;
        }
    }

    private static String stripSlash(final String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
