package ai.continuum.engine;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each limit names itself, the item over it and both sizes; an item at a limit passes. */
class SizeLimitsTest {
    private static final String KEY_AT_LIMIT = "k".repeat(SizeLimits.CONCEPT_NAME_BYTES);
    private static final String KEY_OVER = "é".repeat(SizeLimits.CONCEPT_NAME_BYTES / 2) + "k";

    @Test
    void shouldPassADeltaWhoseItemsAreAtTheirLimits() {
        final Delta delta = new Delta(
                List.of(),
                List.of(new Delta.LinkDelta(KEY_AT_LIMIT, "other", 1, 1)),
                List.of(new Delta.CompoundDelta(List.of(KEY_AT_LIMIT, "other"), 1, 1)),
                List.of(memory("m".repeat(SizeLimits.METADATA_BYTES), List.of(KEY_AT_LIMIT))),
                List.of(new Delta.DecisionDelta(7, 0, "d".repeat(SizeLimits.MEMORY_BYTES), 1)));
        assertDoesNotThrow(() -> SizeLimits.check(delta));
    }

    @Test
    void shouldNameAConceptKeyOverItsLimitInALink() {
        final SizeLimitExceededException e = assertThrows(
                SizeLimitExceededException.class,
                () -> SizeLimits.check(new Delta(
                        List.of(),
                        List.of(new Delta.LinkDelta("other", KEY_OVER, 1, 1)),
                        List.of(),
                        List.of(),
                        List.of())));
        assertEquals("concept_name_bytes", e.limit());
        assertEquals(
                "concept key '" + KEY_OVER.substring(0, 40) + "...' is 1025 bytes (UTF-8), over the limit "
                        + "concept_name_bytes of 1024 bytes",
                e.getMessage());
    }

    @Test
    void shouldNameTheMemoryWhoseMetadataIsOverItsLimit() {
        final SizeLimitExceededException e = assertThrows(
                SizeLimitExceededException.class,
                () -> SizeLimits.check(memory("m".repeat(SizeLimits.METADATA_BYTES + 1), List.of())));
        assertEquals(
                "the metadata of memory 7 is 65537 bytes (UTF-8), over the limit metadata_bytes of 65536 bytes",
                e.getMessage());
    }

    @Test
    void shouldCountTheConceptKeysOfAMemoryAgainstItsLimit() {
        final String text = "t".repeat(SizeLimits.MEMORY_BYTES - 3);
        final Delta.MemoryDelta m = new Delta.MemoryDelta(7, "", text, "", "", "", 1, List.of("abcd"));
        final SizeLimitExceededException e = assertThrows(SizeLimitExceededException.class, () -> SizeLimits.check(m));
        assertEquals("memory_bytes", e.limit());
        assertEquals(SizeLimits.MEMORY_BYTES + 1, e.actualBytes());
        assertEquals("memory 7 is 4194305 bytes (UTF-8), over the limit memory_bytes of 4194304 bytes", e.getMessage());
    }

    @Test
    void shouldNameTheDecisionOverItsLimit() {
        final Delta delta = new Delta(
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of(new Delta.DecisionDelta(7, 2, "d".repeat(SizeLimits.MEMORY_BYTES + 1), 1)));
        final SizeLimitExceededException e =
                assertThrows(SizeLimitExceededException.class, () -> SizeLimits.check(delta));
        assertEquals(
                "decision 2 of memory 7 is 4194305 bytes (UTF-8), over the limit memory_bytes of 4194304 bytes",
                e.getMessage());
    }

    private static Delta.MemoryDelta memory(final String metadata, final List<String> concepts) {
        return new Delta.MemoryDelta(7, "", "hello", "", "", metadata, 1, concepts);
    }
}
