package ai.continuum.server.federation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;

class RequestSignatureTest {
    private final KeyPair keys = RequestSignature.newKeyPair();
    private final byte[] body = "{\"patterns\":[]}".getBytes(StandardCharsets.UTF_8);

    @Test
    void aSignatureCoversEveryPartOfTheRequest() {
        final RequestSignature.Headers h =
                RequestSignature.sign(keys.getPrivate(), "node-1", "POST", "/federation/contribute", body, 1000);
        final var pub = RequestSignature.decodePublic(RequestSignature.encodePublic(keys.getPublic()));
        assertTrue(verify(pub, "node-1", "POST", "/federation/contribute", body, 1000, h));
        assertFalse(verify(pub, "node-2", "POST", "/federation/contribute", body, 1000, h), "node id");
        assertFalse(verify(pub, "node-1", "GET", "/federation/contribute", body, 1000, h), "method");
        assertFalse(verify(pub, "node-1", "POST", "/federation/knowledge", body, 1000, h), "path");
        assertFalse(
                verify(pub, "node-1", "POST", "/federation/contribute", "{}".getBytes(StandardCharsets.UTF_8), 1000, h),
                "body");
        assertFalse(verify(pub, "node-1", "POST", "/federation/contribute", body, 1001, h), "timestamp");
        assertFalse(
                RequestSignature.verify(
                        pub, "node-1", "POST", "/federation/contribute", body, 1000, "other", h.signature()),
                "nonce");
        assertFalse(
                verify(
                        RequestSignature.newKeyPair().getPublic(),
                        "node-1",
                        "POST",
                        "/federation/contribute",
                        body,
                        1000,
                        h),
                "another node's key");
    }

    private static boolean verify(
            final java.security.PublicKey key,
            final String node,
            final String method,
            final String path,
            final byte[] body,
            final long ts,
            final RequestSignature.Headers h) {
        return RequestSignature.verify(key, node, method, path, body, ts, h.nonce(), h.signature());
    }
}
