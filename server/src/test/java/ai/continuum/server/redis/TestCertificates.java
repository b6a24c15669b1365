package ai.continuum.server.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority and a server certificate it signed for {@code 127.0.0.1} and {@code localhost}
 * (PEM files made by the {@code openssl} command), so a test can run a TLS server that a verifying client accepts.
 */
public record TestCertificates(Path ca, Path serverCertificate, Path serverKey) {
    /** Creates a fresh CA and server certificate in {@code dir}. */
    public static TestCertificates create(final Path dir) {
        try {
            Files.createDirectories(dir);
            final Path ca = dir.resolve("ca.pem");
            final Path caKey = dir.resolve("ca.key");
            final Path key = dir.resolve("server.key");
            final Path csr = dir.resolve("server.csr");
            final Path cert = dir.resolve("server.pem");
            final Path ext = dir.resolve("server.ext");
            Files.writeString(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
            openssl(
                    dir,
                    "req",
                    "-x509",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-days",
                    "2",
                    "-subj",
                    "/CN=Continuum Test CA",
                    "-keyout",
                    caKey.toString(),
                    "-out",
                    ca.toString());
            openssl(
                    dir,
                    "req",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-subj",
                    "/CN=localhost",
                    "-keyout",
                    key.toString(),
                    "-out",
                    csr.toString());
            openssl(
                    dir,
                    "x509",
                    "-req",
                    "-in",
                    csr.toString(),
                    "-CA",
                    ca.toString(),
                    "-CAkey",
                    caKey.toString(),
                    "-CAcreateserial",
                    "-days",
                    "2",
                    "-extfile",
                    ext.toString(),
                    "-out",
                    cert.toString());
            return new TestCertificates(ca, cert, key);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create test certificates in " + dir, e);
        }
    }

    private static void openssl(final Path dir, final String... args) throws IOException {
        final List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        final Path log = dir.resolve("openssl.log");
        final Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("openssl " + String.join(" ", args) + " failed:\n" + Files.readString(log));
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
