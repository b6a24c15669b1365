package ai.continuum.server.federation.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.TestPki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator serves a renewed certificate from its key store without a restart, on its own timer, like the API
 * listener; a key store that does not load (a renewal half written) leaves the certificate in use in place.
 */
class CoordinatorTlsReloadTest {
    private static final String PASSWORD = "changeit-0123";

    @TempDir
    Path dir;

    @Test
    void aRenewedKeyStoreIsServedToNewConnectionsAndABrokenOneIsNot() throws Exception {
        final TestPki.Issued ca = TestPki.ca("Coordinator Test CA");
        final TestPki.Issued first = TestPki.server(ca, "coordinator-1", List.of("localhost", "127.0.0.1"));
        final TestPki.Issued renewed = TestPki.server(ca, "coordinator-2", List.of("localhost", "127.0.0.1"));
        final Path keystore = first.writePkcs12(dir.resolve("coordinator.p12"), PASSWORD);
        try (CoordinatorServer coordinator = CoordinatorServer.start(new CoordinatorSettings(
                "127.0.0.1",
                0,
                dir.resolve("data"),
                2,
                300,
                Map.of(),
                keystore,
                PASSWORD,
                1,
                "operator-token-0123456789abcdef",
                null))) {
            final URI health = URI.create("https://localhost:" + coordinator.port() + "/health");
            final SSLContext trust = TestPki.trusting(ca);
            assertEquals(first.certificate(), served(health, trust));

            // Renewed the way a secret volume or cert-manager does it: the new file replaces the old at once.
            replace(keystore, renewed.writePkcs12(dir.resolve("renewed.p12"), PASSWORD));
            final long deadline = System.nanoTime() + 20_000_000_000L;
            while (!renewed.certificate().equals(served(health, trust))) {
                assertTrue(System.nanoTime() < deadline, "the renewed certificate is served within 20 s");
                Thread.sleep(200);
            }

            // A half-written renewal does not load: the certificate in use stays, and the failure is counted.
            final Path broken = dir.resolve("broken.p12");
            Files.write(broken, new byte[] {0x30, 0x03, 0x02, 0x01});
            replace(keystore, broken);
            assertFalse(coordinator.reloadTlsNow(), "a key store that does not load is not applied");
            assertEquals(renewed.certificate(), served(health, trust));
            final String metrics = get(URI.create("https://localhost:" + coordinator.port() + "/metrics"), trust)
                    .body();
            assertTrue(metrics.contains("continuum_coordinator_tls_reloads_total{outcome=\"applied\"} 1.0"), metrics);
            assertTrue(metrics.contains("continuum_coordinator_tls_reloads_total{outcome=\"failed\"} 1.0"), metrics);
        }
    }

    private static void replace(final Path target, final Path source) throws Exception {
        final Path staged = target.resolveSibling(target.getFileName() + ".new");
        Files.copy(source, staged, StandardCopyOption.REPLACE_EXISTING);
        Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The certificate a new connection is served. */
    private static X509Certificate served(final URI uri, final SSLContext trust) throws Exception {
        final HttpResponse<String> response = get(uri, trust);
        assertEquals(200, response.statusCode());
        return (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
    }

    private static HttpResponse<String> get(final URI uri, final SSLContext trust) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().sslContext(trust).build()) {
            return client.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
