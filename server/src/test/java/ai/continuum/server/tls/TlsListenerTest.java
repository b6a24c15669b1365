package ai.continuum.server.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.TestClient;
import ai.continuum.server.TestPki;
import ai.continuum.server.TestPki.Issued;
import ai.continuum.server.TestPki.Pem;
import ai.continuum.server.TestServer;
import ai.continuum.server.cli.ContinuumCli;
import ai.continuum.server.config.ConfigException;
import ai.continuum.server.config.ConfigKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API over in-process TLS, through real TLS clients: the tests' TestClient (the JDK's HttpClient) trusting only
 * the test CA, curl with {@code --cacert} and {@code openssl s_client}. Covers PEM and PKCS#12 material, certificate
 * rotation without a restart (including a rotation caught half written), client certificates required and optional,
 * and the start-up errors of bad material.
 *
 * <p>Real socket: TLS is the listener's.
 */
class TlsListenerTest {

    @TempDir
    static Path pki;

    private static Issued ca;
    private static Issued serverCert;
    private static Issued rotatedCert;
    private static Issued clientCa;
    private static Issued client;
    private static Issued strangerCa;
    private static Issued stranger;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void makeCertificates() {
        ca = TestPki.ca("Continuum Test CA");
        serverCert = TestPki.server(ca, "continuum-1", List.of("localhost", "127.0.0.1"));
        rotatedCert = TestPki.server(ca, "continuum-2", List.of("localhost", "127.0.0.1"));
        clientCa = TestPki.ca("Continuum Test Client CA");
        client = TestPki.client(clientCa, "agent-1");
        strangerCa = TestPki.ca("Someone Else's CA");
        stranger = TestPki.client(strangerCa, "agent-x");
    }

    private TestServer start(final Map<ConfigKey, String> tls) {
        final Map<ConfigKey, String> overrides = new EnumMap<>(tls);
        return TestServer.start(dataDir.resolve("data"), overrides);
    }

    private Map<ConfigKey, String> pem(final Pem files) {
        final Map<ConfigKey, String> tls = new EnumMap<>(ConfigKey.class);
        tls.put(ConfigKey.TLS_CERTIFICATE, files.certificate().toString());
        tls.put(ConfigKey.TLS_PRIVATE_KEY, files.key().toString());
        return tls;
    }

    @Test
    void servesTheApiOverTlsToAClientTrustingTheCa() throws Exception {
        try (TestServer server = start(pem(serverCert.writePem(dataDir, "server")))) {
            final URI base = URI.create("https://localhost:" + server.server().port());
            try (TestClient https = https(base)) {
                assertEquals(200, https.get("/v1/health", TestServer.ADMIN_KEY).status());
                final TestServer.Reply learned = https.post(
                        "/v1/learn",
                        TestServer.ADMIN_KEY,
                        "{\"user_message\":\"Nadia moved the Billing Service to PostgreSQL\","
                                + "\"ai_response\":\"Noted.\"}");
                assertEquals(200, learned.status(), learned.body());
                final TestServer.Reply recalled = https.post(
                        "/v1/recall", TestServer.ADMIN_KEY, "{\"message\":\"Where is the Billing Service?\"}");
                assertEquals(200, recalled.status(), recalled.body());
                assertTrue(recalled.body().contains("PostgreSQL"), recalled.body());
                final TestServer.Reply metrics = https.get("/metrics", TestServer.ADMIN_KEY);
                assertEquals(
                        serverCert.certificate().getNotAfter().toInstant().getEpochSecond(),
                        expiry(metrics.body()),
                        metrics.body());
            }
            // A client that trusts only the JDK's public CAs refuses the certificate.
            try (TestClient publicTrust = https(base, SSLContext.getDefault())) {
                assertThrows(IOException.class, () -> publicTrust.get("/v1/health", TestServer.ADMIN_KEY));
            }
            // Plain HTTP to the TLS port gets no HTTP answer.
            assertFalse(plainHttpAnswers(server.server().port()));
        }
    }

    @Test
    void curlAndOpensslVerifyTheCertificate() throws Exception {
        final Path caFile = ca.writeCertificate(dataDir.resolve("ca.pem"));
        try (TestServer server = start(pem(serverCert.writePem(dataDir, "server")))) {
            final int port = server.server().port();
            if (onPath("curl")) {
                final Run curl = run(
                        List.of(
                                "curl",
                                "-sS",
                                "--cacert",
                                caFile.toString(),
                                "https://localhost:" + port + "/v1/health"),
                        "");
                assertEquals(0, curl.code(), curl.output());
                assertTrue(curl.output().contains("\"status\""), curl.output());
                // Without the CA, curl refuses the certificate (exit 60).
                final Run untrusted = run(List.of("curl", "-sS", "https://localhost:" + port + "/v1/health"), "");
                assertEquals(60, untrusted.code(), untrusted.output());
            } else {
                System.err.println("TlsListenerTest: curl is not installed; the curl check is skipped");
            }
            if (onPath("openssl")) {
                final Run sClient = run(
                        List.of(
                                "openssl",
                                "s_client",
                                "-connect",
                                "127.0.0.1:" + port,
                                "-servername",
                                "localhost",
                                "-verify_hostname",
                                "localhost",
                                "-CAfile",
                                caFile.toString(),
                                "-verify_return_error"),
                        "");
                assertEquals(0, sClient.code(), sClient.output());
                assertTrue(sClient.output().contains("Verify return code: 0 (ok)"), sClient.output());
                assertTrue(
                        sClient.output().contains("CN=continuum-1")
                                || sClient.output().contains("CN = continuum-1"),
                        sClient.output());
                final Run tls11 = run(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-tls1_1"), "");
                assertTrue(tls11.code() != 0, "TLS 1.1 must be refused: " + tls11.output());
            } else {
                System.err.println("TlsListenerTest: openssl is not installed; the s_client check is skipped");
            }
        }
    }

    @Test
    void theHealthCommandProbesTheTlsListener() throws Exception {
        final Pem files = serverCert.writePem(dataDir, "server");
        final Path caFile = ca.writeCertificate(dataDir.resolve("ca.pem"));
        try (TestServer server = start(pem(files))) {
            final int port = server.server().port();
            // As the container's health check runs it: the server's own configuration, loopback, no --url.
            final Path yaml = dataDir.resolve("probe.yaml");
            Files.writeString(
                    yaml,
                    "server:\n  port: " + port + "\n  tls:\n    certificate: " + files.certificate()
                            + "\n    private-key: " + files.key() + "\n");
            final String probeDir = dataDir.resolve("probe").toString();
            assertEquals(0, ContinuumCli.run("health", "--ready", "--data-dir", probeDir, "--config", yaml.toString()));
            final String url = "https://localhost:" + port;
            assertEquals(0, ContinuumCli.run("health", "--url", url, "--cacert", caFile.toString()));
            assertEquals(1, ContinuumCli.run("health", "--url", url), "an unknown CA is refused");
        }
    }

    @Test
    void doctorChecksTheCertificateTheServerWouldLoad() throws Exception {
        final Pem files = serverCert.writePem(dataDir, "server");
        final Path yaml = dataDir.resolve("doctor.yaml");
        final String probeDir = dataDir.resolve("doctor").toString();
        Files.writeString(
                yaml,
                "server:\n  port: 0\n  tls:\n    certificate: " + files.certificate() + "\n    private-key: "
                        + files.key() + "\n");
        final String good =
                stdout(() -> ContinuumCli.run("doctor", "--data-dir", probeDir, "--config", yaml.toString()));
        assertTrue(good.contains("CN=continuum-1"), good);
        assertTrue(good.contains("days left"), good);
        // A key of another certificate: doctor fails and says why, as the start would.
        final Pem other = rotatedCert.writePem(dataDir, "other");
        Files.writeString(
                yaml,
                "server:\n  port: 0\n  tls:\n    certificate: " + files.certificate() + "\n    private-key: "
                        + other.key() + "\n");
        final String bad = stdout(
                () -> assertEquals(1, ContinuumCli.run("doctor", "--data-dir", probeDir, "--config", yaml.toString())));
        assertTrue(bad.contains("does not belong to the certificate"), bad);
    }

    /** What {@code body} prints on standard output. */
    private static String stdout(final Runnable body) {
        final java.io.PrintStream saved = System.out;
        final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(saved);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void servesAPkcs12Keystore() throws Exception {
        final Path store = serverCert.writePkcs12(dataDir.resolve("server.p12"), "keystore-secret");
        final Map<ConfigKey, String> tls = new EnumMap<>(ConfigKey.class);
        tls.put(ConfigKey.TLS_KEYSTORE, store.toString());
        tls.put(ConfigKey.TLS_KEYSTORE_PASSWORD, "keystore-secret");
        try (TestServer server = start(tls)) {
            assertEquals(
                    serverCert.certificate().getSerialNumber(),
                    servedSerial(server.server().port()));
        }
        tls.put(ConfigKey.TLS_KEYSTORE_PASSWORD, "wrong-password");
        final ConfigException wrong =
                assertThrows(ConfigException.class, () -> start(tls).close());
        assertTrue(wrong.getMessage().contains("server.tls.keystore-password"), wrong.getMessage());
    }

    @Test
    void rotatesTheCertificateWithoutARestartAndWaitsOutAHalfWrittenRotation() throws Exception {
        final Pem files = serverCert.writePem(dataDir, "server");
        final Map<ConfigKey, String> tls = pem(files);
        tls.put(ConfigKey.TLS_RELOAD_SECONDS, "3600"); // the checks below are explicit
        try (TestServer server = start(tls)) {
            final int port = server.server().port();
            assertEquals(serverCert.certificate().getSerialNumber(), servedSerial(port));
            // A connection opened before the rotation: it must keep working after it.
            try (SSLSocket open = handshake(port, TestPki.trusting(ca))) {
                // Half written: the new certificate is in place, its key not yet. Refused; the old one stays.
                final Pem next = rotatedCert.writePem(dataDir, "next");
                Files.copy(next.certificate(), files.certificate(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                assertFalse(server.server().reloadTls());
                assertEquals(serverCert.certificate().getSerialNumber(), servedSerial(port));
                try (TestClient https = https(URI.create("https://localhost:" + port))) {
                    assertEquals(
                            200, https.get("/v1/health", TestServer.ADMIN_KEY).status());
                }
                // The key arrives: the next check applies the new pair to new connections.
                Files.copy(next.key(), files.key(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                assertTrue(server.server().reloadTls());
                assertEquals(rotatedCert.certificate().getSerialNumber(), servedSerial(port));
                assertFalse(server.server().reloadTls(), "unchanged files are not applied again");
                assertEquals(200, rawHealth(open), "the connection opened before the rotation still works");
            }
            final String metrics;
            try (TestClient https = https(URI.create("https://localhost:" + port))) {
                metrics = https.get("/metrics", TestServer.ADMIN_KEY).body();
            }
            assertTrue(metrics.contains("continuum_tls_reloads_total{outcome=\"applied\"} 1.0"), metrics);
            assertTrue(metrics.contains("continuum_tls_reloads_total{outcome=\"failed\"} 1.0"), metrics);
            assertEquals(
                    rotatedCert.certificate().getNotAfter().toInstant().getEpochSecond(), expiry(metrics), metrics);
        }
    }

    @Test
    void picksUpARotationByItselfWithinTheReloadPeriod() throws Exception {
        final Pem files = serverCert.writePem(dataDir, "server");
        final Map<ConfigKey, String> tls = pem(files);
        tls.put(ConfigKey.TLS_RELOAD_SECONDS, "1");
        try (TestServer server = start(tls)) {
            final int port = server.server().port();
            assertEquals(serverCert.certificate().getSerialNumber(), servedSerial(port));
            // As Kubernetes does for a secret volume: a new directory, then the files point into it.
            rotatedCert.writePem(dataDir, "server");
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            BigInteger served = servedSerial(port);
            while (!served.equals(rotatedCert.certificate().getSerialNumber()) && System.nanoTime() < deadline) {
                Thread.sleep(200);
                served = servedSerial(port);
            }
            assertEquals(rotatedCert.certificate().getSerialNumber(), served, "the rotated certificate is served");
        }
    }

    @Test
    void requiredClientCertificatesAdmitOnlyClientsOfTheClientCa() throws Exception {
        final Map<ConfigKey, String> tls = pem(serverCert.writePem(dataDir, "server"));
        tls.put(ConfigKey.TLS_CLIENT_AUTH, "required");
        tls.put(
                ConfigKey.TLS_CLIENT_CA,
                clientCa.writeCertificate(dataDir.resolve("client-ca.pem")).toString());
        try (TestServer server = start(tls)) {
            final URI base = URI.create("https://localhost:" + server.server().port());
            try (TestClient withCert = https(base, client.clientContext(ca))) {
                assertEquals(
                        200, withCert.get("/v1/health", TestServer.ADMIN_KEY).status());
            }
            try (TestClient without = https(base)) {
                assertThrows(IOException.class, () -> without.get("/v1/health", TestServer.ADMIN_KEY));
            }
            try (TestClient wrongCa = https(base, stranger.clientContext(ca))) {
                assertThrows(IOException.class, () -> wrongCa.get("/v1/health", TestServer.ADMIN_KEY));
            }
            if (onPath("curl")) {
                final Pem clientFiles = client.writePem(dataDir, "client");
                final Run curl = run(
                        List.of(
                                "curl",
                                "-sS",
                                "--cacert",
                                ca.writeCertificate(dataDir.resolve("ca.pem")).toString(),
                                "--cert",
                                clientFiles.certificate().toString(),
                                "--key",
                                clientFiles.key().toString(),
                                base + "/v1/health"),
                        "");
                assertEquals(0, curl.code(), curl.output());
            }
        }
    }

    @Test
    void optionalClientCertificatesAdmitClientsWithoutOneButNotWithAnUntrustedOne() throws Exception {
        final Map<ConfigKey, String> tls = pem(serverCert.writePem(dataDir, "server"));
        tls.put(ConfigKey.TLS_CLIENT_AUTH, "optional");
        tls.put(
                ConfigKey.TLS_CLIENT_CA,
                clientCa.writeCertificate(dataDir.resolve("client-ca.pem")).toString());
        try (TestServer server = start(tls)) {
            final URI base = URI.create("https://localhost:" + server.server().port());
            try (TestClient without = https(base)) {
                assertEquals(
                        200, without.get("/v1/health", TestServer.ADMIN_KEY).status());
            }
            try (TestClient withCert = https(base, client.clientContext(ca))) {
                assertEquals(
                        200, withCert.get("/v1/health", TestServer.ADMIN_KEY).status());
            }
            // The JDK's client offers only a certificate of a CA the server names, so it offers none here and
            // gets in like any client without one; curl offers it regardless, and the handshake fails.
            try (TestClient wrongCa = https(base, stranger.clientContext(ca))) {
                assertEquals(
                        200, wrongCa.get("/v1/health", TestServer.ADMIN_KEY).status());
            }
            if (onPath("curl")) {
                final Pem strangerFiles = stranger.writePem(dataDir, "stranger");
                final Run curl = run(
                        List.of(
                                "curl",
                                "-sS",
                                "--cacert",
                                ca.writeCertificate(dataDir.resolve("ca.pem")).toString(),
                                "--cert",
                                strangerFiles.certificate().toString(),
                                "--key",
                                strangerFiles.key().toString(),
                                base + "/v1/health"),
                        "");
                assertTrue(curl.code() != 0, "an untrusted client certificate is refused: " + curl.output());
            }
        }
    }

    /** The certificate expiry gauge's value, in whole seconds. */
    private static long expiry(final String metrics) {
        final Matcher m = Pattern.compile("(?m)^continuum_tls_certificate_expiry_timestamp_seconds (\\S+)$")
                .matcher(metrics);
        assertTrue(m.find(), metrics);
        return (long) Double.parseDouble(m.group(1));
    }

    @Test
    void badMaterialStopsTheStartWithTheFileNamed() {
        final Pem files = serverCert.writePem(dataDir, "server");
        final Pem other = rotatedCert.writePem(dataDir, "other");
        final ConfigException mismatched = assertThrows(
                ConfigException.class,
                () -> start(pem(new Pem(files.certificate(), other.key()))).close());
        assertTrue(mismatched.getMessage().contains("does not belong to the certificate"), mismatched.getMessage());
        final ConfigException missing = assertThrows(
                ConfigException.class,
                () -> start(pem(new Pem(dataDir.resolve("absent.crt"), files.key())))
                        .close());
        assertTrue(missing.getMessage().contains("absent.crt"), missing.getMessage());
        final ConfigException notAKey = assertThrows(
                ConfigException.class,
                () -> start(pem(new Pem(files.certificate(), files.certificate())))
                        .close());
        assertTrue(notAKey.getMessage().contains("server.crt"), notAKey.getMessage());
        final Map<ConfigKey, String> noCa = pem(files);
        noCa.put(ConfigKey.TLS_CLIENT_AUTH, "required");
        final ConfigException clientCaMissing =
                assertThrows(ConfigException.class, () -> start(noCa).close());
        assertTrue(clientCaMissing.getMessage().contains("server.tls.client-ca"), clientCaMissing.getMessage());
    }

    /** A client of {@code base} trusting the test CA only, presenting no certificate. */
    private static TestClient https(final URI base) {
        return https(base, TestPki.trusting(ca));
    }

    /** Every client of these tests: the tests' one socket client, with its TLS context. */
    private static TestClient https(final URI base, final SSLContext context) {
        return new TestClient(base, context);
    }

    /** The serial number of the certificate a new connection is served. */
    private static BigInteger servedSerial(final int port) throws IOException {
        try (SSLSocket socket = handshake(port, TestPki.trusting(ca))) {
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    private static SSLSocket handshake(final int port, final SSLContext context) throws IOException {
        final SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return socket;
    }

    /** GET /v1/health on an open TLS connection; the status code. */
    private static int rawHealth(final SSLSocket socket) throws IOException {
        final OutputStream out = socket.getOutputStream();
        out.write("GET /v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        final InputStream in = socket.getInputStream();
        final byte[] head = new byte[12];
        int read = 0;
        while (read < head.length) {
            final int n = in.read(head, read, head.length - read);
            if (n < 0) {
                break;
            }
            read += n;
        }
        return Integer.parseInt(new String(head, 9, 3, StandardCharsets.US_ASCII));
    }

    private static boolean plainHttpAnswers(final int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            socket.setSoTimeout(5_000);
            socket.getOutputStream()
                    .write("GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            final byte[] answer = socket.getInputStream().readNBytes(8);
            return new String(answer, StandardCharsets.US_ASCII).startsWith("HTTP/");
        } catch (final IOException e) {
            return false;
        }
    }

    private record Run(int code, String output) {}

    private static Run run(final List<String> command, final String stdin) throws IOException, InterruptedException {
        final Process process =
                new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not finish");
        }
        return new Run(process.exitValue(), output);
    }

    private static boolean onPath(final String tool) {
        for (final String dir : System.getenv().getOrDefault("PATH", "").split(":", -1)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
