package ai.continuum.server;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemGenerationException;

/**
 * Certificates made by the tests (BouncyCastle), so none is committed and none expires in the repository: a CA, and
 * server or client certificates it issues, written as PEM (PKCS#8 keys) or PKCS#12, plus the client-side SSL contexts
 * that trust a CA or present a client certificate.
 */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private TestPki() {}

    /** A key pair and its certificate with the chain up to its CA (a CA is its own issuer). */
    public record Issued(KeyPair keys, X509Certificate certificate, List<X509Certificate> chain) {
        /** Writes the chain (leaf first) and the PKCS#8 key as PEM files {@code name.crt} and {@code name.key}. */
        public Pem writePem(final Path dir, final String name) {
            final Path crt = dir.resolve(name + ".crt");
            final Path key = dir.resolve(name + ".key");
            writePemObjects(crt, chain.toArray());
            try {
                writePemObjects(key, new JcaPKCS8Generator(keys.getPrivate(), null));
            } catch (final PemGenerationException e) {
                throw new IllegalStateException(e);
            }
            return new Pem(crt, key);
        }

        /** Writes a PKCS#12 keystore holding the key and the chain. */
        public Path writePkcs12(final Path file, final String password) {
            try {
                final KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry(
                        "server", keys.getPrivate(), password.toCharArray(), chain.toArray(new X509Certificate[0]));
                try (var out = Files.newOutputStream(file)) {
                    store.store(out, password.toCharArray());
                }
                return file;
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            } catch (final GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Writes the certificate alone as PEM (a CA bundle). */
        public Path writeCertificate(final Path file) {
            writePemObjects(file, certificate);
            return file;
        }

        /** A client context presenting this certificate and trusting {@code serverCa}. */
        public SSLContext clientContext(final Issued serverCa) {
            try {
                final KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("client", keys.getPrivate(), new char[0], chain.toArray(new X509Certificate[0]));
                final KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(store, new char[0]);
                final SSLContext context = SSLContext.getInstance("TLS");
                context.init(kmf.getKeyManagers(), trustManagers(serverCa), new SecureRandom());
                return context;
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            } catch (final GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A certificate and key written as PEM. */
    public record Pem(Path certificate, Path key) {}

    /**
     * PEM files for a TLS server a test runs as a separate process (Redis): the CA a verifying client trusts, and the
     * server's certificate chain and PKCS#8 key, issued for {@code 127.0.0.1} and {@code localhost}.
     */
    public record ServerFiles(Path ca, Path certificate, Path key) {}

    /** A fresh CA and a server certificate it signed for {@code 127.0.0.1} and {@code localhost}, written to {@code dir}. */
    public static ServerFiles serverFiles(final Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        final Issued ca = ca("Continuum Test CA");
        final Pem server =
                server(ca, "localhost", List.of("127.0.0.1", "localhost")).writePem(dir, "server");
        return new ServerFiles(ca.writeCertificate(dir.resolve("ca.pem")), server.certificate(), server.key());
    }

    /** A self-signed CA. */
    public static Issued ca(final String name) {
        final KeyPair keys = rsa();
        final X509Certificate cert =
                build(new X500Name("CN=" + name), keys, new X500Name("CN=" + name), keys, true, null, List.of(), null);
        return new Issued(keys, cert, List.of(cert));
    }

    /** A server certificate for {@code names} (DNS names, or IP addresses), valid for a day. */
    public static Issued server(final Issued ca, final String commonName, final List<String> names) {
        return leaf(ca, commonName, names, KeyPurposeId.id_kp_serverAuth, Duration.ofDays(1));
    }

    /** A client certificate. */
    public static Issued client(final Issued ca, final String commonName) {
        return leaf(ca, commonName, List.of(), KeyPurposeId.id_kp_clientAuth, Duration.ofDays(1));
    }

    /** A client context that trusts {@code ca} only and presents no certificate. */
    public static SSLContext trusting(final Issued ca) {
        try {
            final SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers(ca), new SecureRandom());
            return context;
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static javax.net.ssl.TrustManager[] trustManagers(final Issued ca) throws GeneralSecurityException {
        try {
            final KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca.certificate());
            final TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            return tmf.getTrustManagers();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Issued leaf(
            final Issued ca,
            final String commonName,
            final List<String> names,
            final KeyPurposeId purpose,
            final Duration validity) {
        final KeyPair keys = rsa();
        final X509Certificate cert = build(
                new X500Name(ca.certificate().getSubjectX500Principal().getName()),
                ca.keys(),
                new X500Name("CN=" + commonName),
                keys,
                false,
                purpose,
                names,
                validity);
        final List<X509Certificate> chain = new ArrayList<>();
        chain.add(cert);
        chain.add(ca.certificate());
        return new Issued(keys, cert, List.copyOf(chain));
    }

    private static X509Certificate build(
            final X500Name issuer,
            final KeyPair issuerKeys,
            final X500Name subject,
            final KeyPair subjectKeys,
            final boolean isCa,
            final KeyPurposeId purpose,
            final List<String> names,
            final Duration validity) {
        final Instant now = Instant.now();
        try {
            final X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    issuer,
                    BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(validity == null ? Duration.ofDays(30) : validity)),
                    subject,
                    subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            if (isCa) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(
                        Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            }
            if (!names.isEmpty()) {
                final List<GeneralName> general = new ArrayList<>();
                for (final String name : names) {
                    general.add(
                            isIp(name)
                                    ? new GeneralName(GeneralName.iPAddress, name)
                                    : new GeneralName(GeneralName.dNSName, name));
                }
                builder.addExtension(
                        Extension.subjectAlternativeName, false, new GeneralNames(general.toArray(new GeneralName[0])));
            }
            return new JcaX509CertificateConverter()
                    .getCertificate(
                            builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKeys.getPrivate())));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } catch (final GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isIp(final String name) {
        if (!name.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false;
        }
        try {
            InetAddress.getByName(name);
            return true;
        } catch (final IOException e) {
            return false;
        }
    }

    private static KeyPair rsa() {
        try {
            final KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writePemObjects(final Path file, final Object... objects) {
        final StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (final Object o : objects) {
                writer.writeObject(o);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            // Written beside and moved into place, as a rotation tool does: a reader never sees half a file.
            final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text.toString());
            Files.move(
                    tmp,
                    file,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
