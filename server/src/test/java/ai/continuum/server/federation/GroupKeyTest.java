package ai.continuum.server.federation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import org.junit.jupiter.api.Test;

class GroupKeyTest {
    private final GroupKey key = GroupKey.parse(GroupKey.generate());

    @Test
    void patternIdsAreTheSameForEveryHolderAndOrderFreeButDifferUnderAnotherKey() {
        final GroupKey same = GroupKey.parse(GroupKey.generate());
        final String id = key.patternId("kafka", "event sourcing");
        assertEquals(id, key.patternId("event sourcing", "kafka"));
        assertEquals(64, id.length());
        assertNotEquals(id, same.patternId("kafka", "event sourcing"));
        assertNotEquals(id, key.patternId("kafk", "aevent sourcing"));
        assertFalse(id.contains("kafka"));
    }

    @Test
    void sealedPayloadsOpenOnlyUnderTheSameKeyAndPatternId() throws GeneralSecurityException {
        final byte[] plain = PatternPayload.of("kafka", "Kafka", "event sourcing", "Event Sourcing", 2)
                .encode();
        final String id = key.patternId("kafka", "event sourcing");
        final byte[] sealed = key.seal(id, plain);
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("Kafka"));
        assertNotEquals(
                new String(sealed, StandardCharsets.ISO_8859_1),
                new String(key.seal(id, plain), StandardCharsets.ISO_8859_1),
                "a fresh nonce per sealing");
        assertArrayEquals(plain, key.open(id, sealed));
        assertThrows(GeneralSecurityException.class, () -> key.open(key.patternId("a", "b"), sealed));
        assertThrows(
                GeneralSecurityException.class,
                () -> GroupKey.parse(GroupKey.generate()).open(id, sealed));
        sealed[sealed.length - 1] ^= 1;
        assertThrows(GeneralSecurityException.class, () -> key.open(id, sealed));
    }

    @Test
    void payloadsArePaddedAndRoundTrip() {
        final PatternPayload p = PatternPayload.of("zeta", "Zeta", "alpha", "Alpha", 3);
        assertEquals("alpha", p.keyA());
        final byte[] encoded = p.encode();
        assertEquals(0, encoded.length % PatternPayload.PAD_BYTES);
        assertEquals(p, PatternPayload.decode(encoded));
    }

    @Test
    void keysAreThirtyTwoBytesAndNeverShown() {
        assertThrows(IllegalArgumentException.class, () -> GroupKey.parse("c2hvcnQ="));
        assertThrows(IllegalArgumentException.class, () -> GroupKey.parse("not base64 !"));
        final String secret = GroupKey.generate();
        assertFalse(GroupKey.parse(secret).toString().contains(secret));
        assertTrue(GroupKey.parse(secret).keyId().matches("[0-9a-f]{16}"));
    }

    @Test
    void strengthBucketsAreLogarithmic() {
        assertEquals(0, StrengthBucket.of(1));
        assertEquals(1, StrengthBucket.of(2));
        assertEquals(1, StrengthBucket.of(3));
        assertEquals(2, StrengthBucket.of(4));
        assertEquals(StrengthBucket.MAX, StrengthBucket.of(1_000_000));
    }

    @Test
    void laplaceNoiseIsCentredWithScaleOneOverEpsilon() {
        assertEquals(5.0, new LaplaceNoise(0).noisy(5.0));
        final LaplaceNoise noise = new LaplaceNoise(0.5);
        double sum = 0;
        double absolute = 0;
        final int n = 20_000;
        for (int i = 0; i < n; i++) {
            final double d = noise.noisy(10.0) - 10.0;
            sum += d;
            absolute += Math.abs(d);
        }
        assertEquals(0.0, sum / n, 0.15, "mean");
        assertEquals(2.0, absolute / n, 0.15, "mean absolute deviation is the scale 1/epsilon");
    }
}
