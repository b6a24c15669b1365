package ai.continuum.server.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.continuum.engine.Delta;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpCodecTest {
    private static final Delta DELTA = new Delta(
            List.of(new Delta.ConceptDelta("zürich", "Zürich", "concept", "Extracted from user", 7)),
            List.of(new Delta.LinkDelta("b", "a", 2, 9)),
            List.of(new Delta.CompoundDelta(List.of("a", "b"), 1, 9)),
            List.of(new Delta.MemoryDelta(5, "s", "u \"q\" \n", "ai", "", "{\"x\":1}", 9, List.of("a", "b"))),
            List.of(new Delta.DecisionDelta(5, 0, "I will test", 9)));

    @Test
    void shouldDecodeEveryOpKindToAnEqualOp() {
        for (final StorageOp op : List.of(
                new StorageOp.Apply("t", DELTA),
                new StorageOp.ForgetMemory("t", 5),
                new StorageOp.ForgetConcept("t", "zürich"),
                new StorageOp.PruneLinks("t", 0.15, 123, true),
                new StorageOp.PruneLinks("t", 1.0E-7, 1, true),
                new StorageOp.PruneLinks("t", 0.3, 7, false),
                new StorageOp.Apply("t", Delta.EMPTY))) {
            assertEquals(op, OpCodec.decode(OpCodec.encode(op)));
        }
    }

    @Test
    void shouldWriteSortedKeysWithoutWhitespace() {
        assertEquals(
                "{\"kind\":\"forget_memory\",\"memoryId\":5,\"tenant\":\"t\"}",
                OpCodec.encodeToString(new StorageOp.ForgetMemory("t", 5)));
        assertEquals(
                "{\"kind\":\"prune_links\",\"nowMillis\":123,\"tenant\":\"t\",\"threshold\":0.15}",
                OpCodec.encodeToString(new StorageOp.PruneLinks("t", 0.15, 123, true)),
                "a prune that applies decay encodes as it did before the flag existed (its logged chain hash holds)");
        assertEquals(
                "{\"applyDecay\":false,\"kind\":\"prune_links\",\"nowMillis\":123,\"tenant\":\"t\",\"threshold\":0.15}",
                OpCodec.encodeToString(new StorageOp.PruneLinks("t", 0.15, 123, false)));
        assertEquals(
                "{\"delta\":{\"compounds\":[],\"concepts\":[],\"decisions\":[],\"links\":[],\"memories\":[]},"
                        + "\"kind\":\"apply\",\"tenant\":\"t\"}",
                OpCodec.encodeToString(new StorageOp.Apply("t", Delta.EMPTY)));
    }

    @Test
    void shouldGiveEqualBytesForEqualOps() {
        final Delta copy =
                new Delta(DELTA.concepts(), DELTA.links(), DELTA.compounds(), DELTA.memories(), DELTA.decisions());
        assertArrayEquals(
                OpCodec.encode(new StorageOp.Apply("t", DELTA)), OpCodec.encode(new StorageOp.Apply("t", copy)));
        assertEquals(
                "Zürich",
                new String(OpCodec.encode(new StorageOp.Apply("t", DELTA)), StandardCharsets.UTF_8)
                        .replaceAll(".*\"displayName\":\"([^\"]+)\".*", "$1"),
                "non-ASCII text is written as UTF-8, unescaped");
    }

    @Test
    void shouldRejectMalformedOrUnknownOps() {
        assertThrows(IllegalArgumentException.class, () -> OpCodec.decode("{\"kind\":\"drop\",\"tenant\":\"t\"}"));
        assertThrows(IllegalArgumentException.class, () -> OpCodec.decode("{\"kind\":\"forget_memory\"}"));
        assertThrows(IllegalArgumentException.class, () -> OpCodec.decode("not json"));
        assertThrows(
                IllegalArgumentException.class,
                () -> OpCodec.decode("{\"applyDecay\":\"no\",\"kind\":\"prune_links\",\"nowMillis\":1,"
                        + "\"tenant\":\"t\",\"threshold\":0.1}"));
        assertThrows(
                IllegalArgumentException.class,
                () -> OpCodec.encode(new StorageOp.PruneLinks("t", Double.NaN, 1, true)));
    }
}
