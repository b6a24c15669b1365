package ai.continuum.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A bulk load (the rebuild path) reaches exactly the state of plain applies of the same deltas, also when its deltas
 * arrive the way a rebuild streams them: one kind per delta, tenants one after another, so link and memory chunks name
 * concepts that earlier chunks created.
 */
class BulkLoadTest {
    private static final List<String> TENANTS = List.of("acme", "globex");

    @Test
    void shouldReachThePlainApplyChecksumWhenChunksNameConceptsOfEarlierChunks() {
        final List<Chunk> chunks = rebuildStream(new Random(11));
        try (MemoryEngine plain = MemoryEngine.create(EngineConfig.defaults());
                MemoryEngine bulk = MemoryEngine.create(EngineConfig.defaults())) {
            chunks.forEach(c -> plain.apply(c.tenant(), c.delta()));
            try (MemoryEngine.BulkLoad load = bulk.bulkLoad()) {
                chunks.forEach(c -> load.apply(c.tenant(), c.delta()));
            }
            for (final String tenant : TENANTS) {
                assertNotEquals(0L, plain.checksum(tenant));
                assertEquals(plain.checksum(tenant), bulk.checksum(tenant), "checksum of " + tenant);
                assertEquals(plain.stats(tenant), bulk.stats(tenant), "stats of " + tenant);
                for (int i = 0; i < 420; i++) {
                    assertStrongestFirst(plain, bulk, tenant, key(i));
                }
            }
            // Later learns find each link's entry through the positions the bulk sort left in the link records.
            chunks.stream().filter(c -> !c.delta().links().isEmpty()).forEach(c -> {
                plain.apply(c.tenant(), c.delta());
                bulk.apply(c.tenant(), c.delta());
            });
            for (final String tenant : TENANTS) {
                assertEquals(plain.checksum(tenant), bulk.checksum(tenant), "checksum after more learns, " + tenant);
                for (int i = 0; i < 420; i++) {
                    assertStrongestFirst(plain, bulk, tenant, key(i));
                }
            }
        }
    }

    /** The bulk-loaded neighbours come strongest first and are the plain engine's, up to the order of equals. */
    private static void assertStrongestFirst(
            final MemoryEngine plain, final MemoryEngine bulk, final String tenant, final String key) {
        final var expected = plain.concept(tenant, key, 100);
        final var actual = bulk.concept(tenant, key, 100);
        assertEquals(expected.isPresent(), actual.isPresent(), key);
        if (actual.isEmpty()) {
            return;
        }
        final List<ConceptView.Neighbour> neighbours = actual.get().neighbours();
        for (int i = 1; i < neighbours.size(); i++) {
            assertTrue(neighbours.get(i - 1).count() >= neighbours.get(i).count(), key + " at " + i);
        }
        assertEquals(
                expected.get().neighbours().stream()
                        .map(ConceptView.Neighbour::name)
                        .sorted()
                        .toList(),
                neighbours.stream().map(ConceptView.Neighbour::name).sorted().toList(),
                key);
    }

    @Test
    void shouldLinkARecreatedConceptWhenItWasForgottenDuringABulkLoad() {
        try (MemoryEngine plain = MemoryEngine.create(EngineConfig.defaults());
                MemoryEngine bulk = MemoryEngine.create(EngineConfig.defaults())) {
            final Delta first = Deltas.link("Kafka", "Redis", 2, 100);
            // Links only, as a rebuild's link chunks are: the key must resolve afresh, not to the forgotten id.
            final Delta second = new Delta(
                    List.of(),
                    List.of(new Delta.LinkDelta(
                            ConceptKeys.normalize("Kafka"), ConceptKeys.normalize("Helidon"), 1, 200)),
                    List.of(),
                    List.of(),
                    List.of());
            plain.apply("t", first);
            plain.forgetConcept("t", "Kafka");
            plain.apply("t", second);
            try (MemoryEngine.BulkLoad load = bulk.bulkLoad()) {
                load.apply("t", first);
                bulk.forgetConcept("t", "Kafka"); // same thread: the bulk load's write lock is reentrant
                load.apply("t", second);
            }
            assertEquals(plain.checksum("t"), bulk.checksum("t"));
            assertEquals(plain.stats("t"), bulk.stats("t"));
            assertTrue(
                    bulk.concept("t", "Kafka", 5).orElseThrow().neighbours().stream()
                            .anyMatch(n -> n.name().equals("helidon")),
                    "the recreated concept carries the new link");
        }
    }

    /** Concept chunks, then link chunks naming concepts of any earlier chunk, then memories; tenant by tenant. */
    private static List<Chunk> rebuildStream(final Random random) {
        final List<Chunk> out = new ArrayList<>();
        for (final String tenant : TENANTS) {
            final int concepts = 300 + random.nextInt(100);
            for (int from = 0; from < concepts; from += 50) {
                final List<Delta.ConceptDelta> chunk = new ArrayList<>();
                for (int i = from; i < Math.min(concepts, from + 50); i++) {
                    chunk.add(Deltas.concept("Concept" + i, 1_000 + i));
                }
                out.add(new Chunk(tenant, new Delta(chunk, List.of(), List.of(), List.of(), List.of())));
            }
            for (int c = 0; c < 8; c++) {
                final List<Delta.LinkDelta> links = new ArrayList<>();
                for (int i = 0; i < 60; i++) {
                    final int a = random.nextInt(concepts);
                    final int b = random.nextInt(concepts + 20); // a few keys no concept row names: unseen concepts
                    if (a != b) {
                        links.add(new Delta.LinkDelta(key(a), key(b), 1 + random.nextInt(5), 2_000 + i));
                    }
                }
                out.add(new Chunk(tenant, new Delta(List.of(), links, List.of(), List.of(), List.of())));
            }
            final List<Delta.MemoryDelta> memories = new ArrayList<>();
            for (long id = 1; id <= 40; id++) {
                memories.add(new Delta.MemoryDelta(
                        id,
                        "s" + id % 3,
                        "user " + id,
                        "ai " + id,
                        "",
                        "{}",
                        id * 10,
                        List.of(key(random.nextInt(concepts)), key(random.nextInt(concepts)))));
            }
            out.add(new Chunk(tenant, new Delta(List.of(), List.of(), List.of(), memories, List.of())));
        }
        return out;
    }

    private static String key(final int i) {
        return ConceptKeys.normalize("Concept" + i);
    }

    private record Chunk(String tenant, Delta delta) {}
}
