package ai.continuum.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The chain formula, recomputed here from first principles so that a change to it cannot go unnoticed. */
class ContinuityChainTest {
    @Test
    void shouldSeedFromPiTimesPhiAndLinkPayloadDigests() throws Exception {
        final MessageDigest sha = MessageDigest.getInstance("SHA-256");
        final byte[] seed = sha.digest("5.083203692315260".getBytes(StandardCharsets.US_ASCII));
        assertEquals(HexFormat.of().formatHex(seed), ContinuityChain.seedHex());

        final byte[] payload = OpCodec.encode(new StorageOp.ForgetMemory("t", 1));
        sha.update(seed);
        sha.update(MessageDigest.getInstance("SHA-256").digest(payload));
        assertEquals(
                HexFormat.of().formatHex(sha.digest()),
                ContinuityChain.hex(ContinuityChain.next(ContinuityChain.seed(), payload)));
    }

    @Test
    void shouldGiveADifferentHashForADifferentPredecessorOrPayload() {
        final byte[] a = OpCodec.encode(new StorageOp.ForgetMemory("t", 1));
        final byte[] b = OpCodec.encode(new StorageOp.ForgetMemory("t", 2));
        final byte[] seed = ContinuityChain.seed();
        assertNotEquals(
                ContinuityChain.hex(ContinuityChain.next(seed, a)), ContinuityChain.hex(ContinuityChain.next(seed, b)));
        assertNotEquals(
                ContinuityChain.hex(ContinuityChain.next(seed, a)),
                ContinuityChain.hex(ContinuityChain.next(ContinuityChain.next(seed, b), a)));
    }
}
