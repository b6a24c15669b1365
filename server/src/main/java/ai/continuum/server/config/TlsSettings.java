package ai.continuum.server.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The API listener's TLS: off unless a certificate (PEM files) or a PKCS#12 keystore is configured. Either the PEM
 * pair or the keystore, never both. Client certificates are {@code none} (not asked for), {@code optional} (asked
 * for; a presented one must chain to {@link #clientCa}) or {@code required} (a handshake without a trusted one
 * fails); the last two need {@link #clientCa}. The files are read again every {@link #reloadSeconds} and a changed
 * set is applied to new connections without a restart (0 reads them only at start).
 *
 * @param certificate      PEM certificate chain, leaf first; empty when a keystore is used or TLS is off.
 * @param privateKey       PEM private key of the leaf (PKCS#8, or PKCS#1 for RSA).
 * @param keystore         PKCS#12 keystore holding one private key and its chain.
 * @param keystorePassword the keystore's password (a secret: also from {@code CONTINUUM_TLS_KEYSTORE_PASSWORD_FILE}).
 * @param clientAuth       none, optional or required.
 * @param clientCa         PEM bundle of the CAs client certificates must chain to.
 * @param reloadSeconds    how often the files are checked for a new certificate; 0 never.
 */
public record TlsSettings(
        Optional<Path> certificate,
        Optional<Path> privateKey,
        Optional<Path> keystore,
        String keystorePassword,
        String clientAuth,
        Optional<Path> clientCa,
        int reloadSeconds) {

    public static final String NONE = "none";
    public static final String OPTIONAL = "optional";
    public static final String REQUIRED = "required";

    public TlsSettings {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(keystore, "keystore");
        Objects.requireNonNull(clientCa, "clientCa");
        keystorePassword = keystorePassword == null ? "" : keystorePassword;
        if (certificate.isPresent() && keystore.isPresent()) {
            throw new ConfigException("server.tls.certificate and server.tls.keystore are both set: expected either "
                    + "a PEM certificate with server.tls.private-key, or a PKCS#12 keystore");
        }
        if (certificate.isPresent() != privateKey.isPresent()) {
            throw new ConfigException("server.tls.certificate and server.tls.private-key go together: "
                    + (certificate.isPresent() ? "server.tls.private-key" : "server.tls.certificate")
                    + " is not set");
        }
        if (!NONE.equals(clientAuth) && clientCa.isEmpty()) {
            throw new ConfigException("server.tls.client-auth=" + clientAuth + " needs server.tls.client-ca (the PEM "
                    + "bundle of the CAs client certificates must chain to)");
        }
        if (!NONE.equals(clientAuth) && !enabled(certificate, keystore)) {
            throw new ConfigException("server.tls.client-auth=" + clientAuth + " needs TLS: set server.tls.certificate "
                    + "and server.tls.private-key, or server.tls.keystore");
        }
    }

    /** TLS off. */
    public static TlsSettings off() {
        return new TlsSettings(Optional.empty(), Optional.empty(), Optional.empty(), "", NONE, Optional.empty(), 0);
    }

    /** Whether the listener speaks TLS. */
    public boolean enabled() {
        return enabled(certificate, keystore);
    }

    private static boolean enabled(final Optional<Path> certificate, final Optional<Path> keystore) {
        return certificate.isPresent() || keystore.isPresent();
    }

    /** Every file the TLS material is read from, in a fixed order (what a reload watches). */
    public List<Path> files() {
        final List<Path> files = new ArrayList<>();
        certificate.ifPresent(files::add);
        privateKey.ifPresent(files::add);
        keystore.ifPresent(files::add);
        clientCa.ifPresent(files::add);
        return List.copyOf(files);
    }

    /** An empty setting is no path. */
    static Optional<Path> path(final String value) {
        return value.isBlank() ? Optional.empty() : Optional.of(Path.of(value.strip()));
    }

    @Override
    public String toString() {
        return "TlsSettings[certificate=" + certificate.map(Path::toString).orElse("") + ", privateKey="
                + privateKey.map(Path::toString).orElse("") + ", keystore="
                + keystore.map(Path::toString).orElse("") + ", keystorePassword="
                + (keystorePassword.isEmpty() ? "" : "<hidden>") + ", clientAuth=" + clientAuth + ", clientCa="
                + clientCa.map(Path::toString).orElse("") + ", reloadSeconds=" + reloadSeconds + "]";
    }
}
