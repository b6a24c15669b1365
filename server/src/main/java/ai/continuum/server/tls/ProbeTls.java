package ai.continuum.server.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS contexts of the probes that ask a server whether it answers: {@code continuum health} (a CA bundle given on
 * the command line, or this host's own server) and the server's own heartbeat ({@link #pinned}: the certificate the
 * listener is meant to serve, and no other). The CA-bundle context ({@link #trusting}) also serves the clients of the
 * federation coordinator.
 */
public final class ProbeTls {
    private ProbeTls() {}

    /** Trusts the CAs in a PEM bundle, with the usual host name check; an empty bundle trusts no server. */
    public static SSLContext trusting(final Path caFile) throws IOException, GeneralSecurityException {
        return trusting(certificates(caFile));
    }

    /** The certificates of a PEM bundle, in file order (none when it holds none). */
    public static Collection<? extends Certificate> certificates(final Path caFile)
            throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(caFile)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
    }

    /** Trusts {@code cas}, with the usual host name check. */
    public static SSLContext trusting(final Collection<? extends Certificate> cas) throws GeneralSecurityException {
        final KeyStore trust = KeyStore.getInstance("PKCS12");
        try {
            trust.load(null, null);
        } catch (final IOException e) {
            throw new IllegalStateException("an empty PKCS#12 key store cannot be created", e);
        }
        int n = 0;
        for (final Certificate c : cas) {
            trust.setCertificateEntry("ca-" + n++, c);
        }
        final TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), new SecureRandom());
        return context;
    }

    /**
     * For the server on this host's loopback only: any certificate is accepted. The certificate names the service
     * (not 127.0.0.1), the probe sends no key and reads only the public health paths, and what it asks is whether the
     * local process answers, not who it is.
     */
    public static SSLContext loopback() {
        return accepting(leaf -> true);
    }

    /**
     * Accepts exactly the server certificate {@code expected} gives at the time of the handshake, without a host name
     * check: a server probing its own listener proves that the listener serves the certificate it loaded (after a
     * renewal, the new one).
     */
    public static SSLContext pinned(final Supplier<X509Certificate> expected) {
        return accepting(leaf -> leaf.equals(expected.get()));
    }

    private static SSLContext accepting(final Predicate<X509Certificate> leaf) {
        try {
            final SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new ServerLeaf(leaf)}, new SecureRandom());
            return context;
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no TLS context", e);
        }
    }

    /**
     * Accepts a server whose certificate passes the test; as an extended trust manager the JDK adds no host name check
     * of its own. Accepts no clients.
     */
    private static final class ServerLeaf extends X509ExtendedTrustManager {
        private final Predicate<X509Certificate> accepted;

        ServerLeaf(final Predicate<X509Certificate> accepted) {
            this.accepted = accepted;
        }

        private void check(final X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0 || !accepted.test(chain[0])) {
                throw new CertificateException("not the server certificate this probe expects");
            }
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
                throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
                throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType)
                throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(final X509Certificate[] chain, final String authType, final Socket socket)
                throws CertificateException {
            throw new CertificateException("a probe accepts no clients");
        }

        @Override
        public void checkClientTrusted(final X509Certificate[] chain, final String authType, final SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("a probe accepts no clients");
        }

        @Override
        public void checkClientTrusted(final X509Certificate[] chain, final String authType)
                throws CertificateException {
            throw new CertificateException("a probe accepts no clients");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
