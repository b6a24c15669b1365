package ai.continuum.server.tls;

import ai.continuum.server.config.ConfigException;
import ai.continuum.server.config.TlsSettings;
import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.common.tls.Tls;
import io.helidon.common.tls.TlsClientAuth;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One reading of the listener's TLS files, turned into Helidon's {@link Tls}. Each file is read once and the same
 * bytes are both parsed and fingerprinted, so a reading is consistent with its {@link #fingerprint()} even while the
 * files are being replaced. A reading is refused (a {@link ConfigException} naming the file) when a file is missing or
 * unreadable, holds no certificate or key, or when the private key does not belong to the certificate, which is what a
 * rotation caught between writing the new certificate and the new key would otherwise serve. Immutable.
 *
 * @param tls         what the listener serves.
 * @param leaf        the server's own certificate.
 * @param fingerprint SHA-256 over the files' names and contents: a change means new material to apply.
 */
public record ListenerTls(Tls tls, X509Certificate leaf, String fingerprint) {
    /** TLS 1.2 and 1.3 only: older versions are broken and refused by every current client. */
    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** Reads the files {@code settings} names and builds the listener's TLS from them. */
    public static ListenerTls load(final TlsSettings settings) {
        final Map<Path, byte[]> files = read(settings.files());
        final PrivateKey key;
        final List<X509Certificate> chain;
        if (settings.keystore().isPresent()) {
            final Path file = settings.keystore().get();
            final KeyStore store = keystore(file, files.get(file), settings.keystorePassword());
            final Entry entry = keyEntry(file, store, settings.keystorePassword());
            key = entry.key();
            chain = entry.chain();
        } else {
            final Path certificateFile = settings.certificate().orElseThrow();
            final Path keyFile = settings.privateKey().orElseThrow();
            chain = certificates(certificateFile, files.get(certificateFile));
            key = pemKey(keyFile, files.get(keyFile));
        }
        final X509Certificate leaf = chain.getFirst();
        if (!belongTogether(key, leaf)) {
            throw new ConfigException("the TLS private key does not belong to the certificate "
                    + leaf.getSubjectX500Principal().getName() + " ("
                    + settings.privateKey().or(settings::keystore).orElseThrow() + ")");
        }
        final List<X509Certificate> clientCas = settings.clientCa()
                .map(file -> certificates(file, files.get(file)))
                .orElse(List.of());
        final Tls tls = Tls.builder()
                .privateKey(key)
                .privateKeyCertChain(chain)
                .trust(clientCas)
                .clientAuth(clientAuth(settings.clientAuth()))
                .enabledProtocols(PROTOCOLS)
                .build();
        return new ListenerTls(tls, leaf, fingerprint(files));
    }

    /** The fingerprint the files would give now, without parsing them (cheap enough to poll). */
    public static String fingerprintOf(final TlsSettings settings) {
        return fingerprint(read(settings.files()));
    }

    /** When the server's certificate stops being valid. */
    public Instant notAfter() {
        return leaf.getNotAfter().toInstant();
    }

    /** The certificate in words, for the log: subject, issuer and validity end. */
    public String describe() {
        return leaf.getSubjectX500Principal().getName() + ", issued by "
                + leaf.getIssuerX500Principal().getName() + ", valid until " + notAfter();
    }

    private static TlsClientAuth clientAuth(final String setting) {
        return switch (setting) {
            case TlsSettings.REQUIRED -> TlsClientAuth.REQUIRED;
            case TlsSettings.OPTIONAL -> TlsClientAuth.OPTIONAL;
            default -> TlsClientAuth.NONE;
        };
    }

    private static Map<Path, byte[]> read(final List<Path> paths) {
        final Map<Path, byte[]> files = new LinkedHashMap<>();
        for (final Path path : paths) {
            try {
                files.put(path, Files.readAllBytes(path));
            } catch (final IOException e) {
                throw new ConfigException("cannot read the TLS file " + path + ": " + e);
            }
        }
        return files;
    }

    private static String fingerprint(final Map<Path, byte[]> files) {
        final MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        files.forEach((path, bytes) -> {
            digest.update(path.toString().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(bytes);
        });
        return HexFormat.of().formatHex(digest.digest());
    }

    private static List<X509Certificate> certificates(final Path file, final byte[] pem) {
        final List<X509Certificate> out = new ArrayList<>();
        try {
            for (final Certificate c :
                    CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
                out.add((X509Certificate) c);
            }
        } catch (final CertificateException e) {
            throw new ConfigException("the TLS file " + file + " is not a PEM certificate bundle: " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw new ConfigException("the TLS file " + file + " holds no certificate");
        }
        return Collections.unmodifiableList(out);
    }

    private static PrivateKey pemKey(final Path file, final byte[] pem) {
        try {
            return Keys.builder()
                    .pem(p -> p.key(Resource.create(file.toString(), pem)))
                    .build()
                    .privateKey()
                    .orElseThrow(() -> new ConfigException("the TLS file " + file + " holds no private key"));
        } catch (final RuntimeException e) {
            if (e instanceof ConfigException config) {
                throw config;
            }
            throw new ConfigException("the TLS file " + file + " is not a PEM private key (PKCS#8, or PKCS#1 for "
                    + "RSA): " + e.getMessage());
        }
    }

    private record Entry(PrivateKey key, List<X509Certificate> chain) {}

    private static KeyStore keystore(final Path file, final byte[] bytes, final String password) {
        try {
            final KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(bytes), password.toCharArray());
            return store;
        } catch (final IOException | GeneralSecurityException e) {
            throw new ConfigException("cannot open the TLS keystore " + file + " as PKCS#12 (is "
                    + "server.tls.keystore-password right?): " + e.getMessage());
        }
    }

    /** The keystore's one private key entry; several are refused, since which one to serve would be a guess. */
    private static Entry keyEntry(final Path file, final KeyStore store, final String password) {
        try {
            Entry found = null;
            for (final String alias : Collections.list(store.aliases())) {
                if (!store.isKeyEntry(alias)) {
                    continue;
                }
                final Key key = store.getKey(alias, password.toCharArray());
                if (!(key instanceof PrivateKey privateKey)) {
                    continue;
                }
                if (found != null) {
                    throw new ConfigException("the TLS keystore " + file + " holds more than one private key: "
                            + "expected exactly one, with its certificate chain");
                }
                final List<X509Certificate> chain = new ArrayList<>();
                for (final Certificate c : store.getCertificateChain(alias)) {
                    chain.add((X509Certificate) c);
                }
                found = new Entry(privateKey, List.copyOf(chain));
            }
            if (found == null || found.chain().isEmpty()) {
                throw new ConfigException("the TLS keystore " + file + " holds no private key with a certificate");
            }
            return found;
        } catch (final GeneralSecurityException e) {
            throw new ConfigException("cannot read the private key in the TLS keystore " + file + ": " + e);
        }
    }

    /** Whether {@code key} signs what the certificate's public key verifies. */
    private static boolean belongTogether(final PrivateKey key, final X509Certificate leaf) {
        final String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "Ed448" -> "Ed448";
            default -> null;
        };
        if (algorithm == null) {
            // A key type without a plain signature to test with (RSASSA-PSS): the handshake fails on a mismatch.
            return key.getAlgorithm().equals(leaf.getPublicKey().getAlgorithm());
        }
        try {
            final byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            final Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            final byte[] signature = signer.sign();
            final Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (final GeneralSecurityException e) {
            return false;
        }
    }
}
