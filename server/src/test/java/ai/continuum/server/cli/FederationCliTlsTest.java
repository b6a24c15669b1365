package ai.continuum.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.TestPki;
import ai.continuum.server.TestServer;
import ai.continuum.server.auth.AdminKey;
import ai.continuum.server.config.ConfigKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code continuum federation join|status|sync|leave} reach a service that serves its API over TLS: with
 * {@code --cacert} against an https {@code --url}, and on this host's own port by pinning the certificate the
 * configuration holds. A CA the certificate does not chain to, or no CA at all, sends nothing (the admin key included).
 */
class FederationCliTlsTest {
    @TempDir
    Path dir;

    @Test
    void reachesATlsServiceWithTheCaOrItsOwnPinnedCertificateAndRefusesAnUntrustedOne() throws Exception {
        final TestPki.Issued ca = TestPki.ca("Continuum Test CA");
        final TestPki.Pem pem = TestPki.server(ca, "localhost", List.of("localhost", "127.0.0.1"))
                .writePem(dir, "server");
        final Path caFile = ca.writeCertificate(dir.resolve("ca.pem"));
        final Path strangerCa = TestPki.ca("Someone Else's CA").writeCertificate(dir.resolve("stranger.pem"));
        try (TestServer server = TestServer.start(
                dir.resolve("data"),
                Map.of(
                        ConfigKey.TLS_CERTIFICATE, pem.certificate().toString(),
                        ConfigKey.TLS_PRIVATE_KEY, pem.key().toString()))) {
            final int port = server.server().port();
            // The CLI's view of the service: its port, TLS files and admin key, as on the service's own host.
            final Path cli = dir.resolve("cli");
            Files.createDirectories(cli);
            Files.writeString(cli.resolve(AdminKey.FILE_NAME), TestServer.ADMIN_KEY + "\n");
            Files.writeString(
                    cli.resolve("application.yaml"),
                    "server:\n  port: " + port + "\n  tls:\n    certificate: " + pem.certificate() + "\n"
                            + "    private-key: " + pem.key() + "\n");
            final String url = "https://localhost:" + port;

            final CliRun trusted = CliRun.of(
                    "federation", "status", "--data-dir", cli.toString(), "--url", url, "--cacert", caFile.toString());
            // The service is no federation node: its JSON refusal proves the admin request arrived over TLS.
            assertEquals(1, trusted.code(), trusted.all());
            assertTrue(trusted.out().contains("\"federation_disabled\""), trusted.all());

            final CliRun sameName = CliRun.of(
                    "federation", "sync", "--data-dir", cli.toString(), "--url", url, "--ca-file", caFile.toString());
            assertTrue(sameName.out().contains("\"federation_disabled\""), sameName.all());

            final CliRun pinned = CliRun.of("federation", "status", "--data-dir", cli.toString());
            assertTrue(pinned.out().contains("\"federation_disabled\""), "default URL, pinned: " + pinned.all());

            for (final String[] untrusted : List.of(
                    new String[] {"--url", url, "--cacert", strangerCa.toString()},
                    new String[] {"--url", url},
                    new String[] {"--cacert", strangerCa.toString()})) {
                final String[] args = new String[4 + untrusted.length];
                args[0] = "federation";
                args[1] = "status";
                args[2] = "--data-dir";
                args[3] = cli.toString();
                System.arraycopy(untrusted, 0, args, 4, untrusted.length);
                final CliRun refused = CliRun.of(args);
                assertEquals(1, refused.code(), String.join(" ", untrusted) + ": " + refused.all());
                assertTrue(refused.err().contains("did not answer"), refused.all());
                assertTrue(!refused.out().contains("federation_disabled"), refused.all());
            }
        }
    }
}
