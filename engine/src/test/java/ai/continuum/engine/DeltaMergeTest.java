package ai.continuum.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DeltaMergeTest {
    private static final String[] WORDS = {
        "Kafka",
        "Postgres",
        "Redis",
        "Helidon",
        "Chronicle",
        "Agrona",
        "Kubernetes",
        "Grafana",
        "Prometheus",
        "Zoë Ørsted",
        "Straße",
        "Élodie",
        "TensorFlow",
        "Machine Learning",
        "Jupiter",
        "Saturn"
    };

    @Test
    void shouldReachTheSameChecksumWhateverTheOrderOfDeltas() {
        final Random random = new Random(42);
        for (int round = 0; round < 5; round++) {
            final List<Delta> deltas = randomDeltas(random, 300);
            final long expected = checksumOf(deltas);
            for (int shuffle = 0; shuffle < 3; shuffle++) {
                final List<Delta> shuffled = new ArrayList<>(deltas);
                Collections.shuffle(shuffled, random);
                assertEquals(expected, checksumOf(shuffled), "round " + round + " shuffle " + shuffle);
            }
            assertEquals(expected, checksumOf(List.of(Delta.merge(deltas))), "merged delta");
        }
    }

    @Test
    void shouldChangeTheChecksumWhenAnyCountChanges() {
        final List<Delta> deltas = randomDeltas(new Random(7), 50);
        final List<Delta> more = new ArrayList<>(deltas);
        more.add(Deltas.link("Kafka", "Redis", 1, 1));
        assertNotEquals(checksumOf(deltas), checksumOf(more));
    }

    @Test
    void shouldKeepTheEarliestSpellingWhateverTheOrder() {
        try (MemoryEngine a = MemoryEngine.create(EngineConfig.defaults());
                MemoryEngine b = MemoryEngine.create(EngineConfig.defaults())) {
            final Delta early = Deltas.concepts(100, "PostgreSQL");
            final Delta late = Deltas.concepts(200, "POSTGRESQL");
            a.apply("t", early);
            a.apply("t", late);
            b.apply("t", late);
            b.apply("t", early);
            assertEquals(
                    "PostgreSQL", a.concept("t", "postgresql", 0).orElseThrow().name());
            assertEquals(
                    "PostgreSQL", b.concept("t", "POSTGRESQL", 0).orElseThrow().name());
            assertEquals(a.checksum("t"), b.checksum("t"));
        }
    }

    @Test
    void shouldRebuildFromASnapshotToTheSameChecksum() {
        final List<Delta> deltas = randomDeltas(new Random(3), 400);
        try (MemoryEngine live = MemoryEngine.create(EngineConfig.defaults());
                MemoryEngine rebuilt = MemoryEngine.create(EngineConfig.defaults())) {
            deltas.forEach(d -> live.apply("t", d));
            live.forgetMemory("t", 5);
            live.forgetConcept("t", "kafka");
            final List<Delta> chunks = new ArrayList<>();
            live.snapshot("t", chunks::add);
            Collections.shuffle(chunks, new Random(1));
            chunks.forEach(d -> rebuilt.apply("t", d));
            assertEquals(live.checksum("t"), rebuilt.checksum("t"));
            assertEquals(live.stats("t"), rebuilt.stats("t"));
        }
    }

    @Test
    void shouldSplitSnapshotsIntoBoundedChunks() {
        try (MemoryEngine engine = MemoryEngine.create(EngineConfig.defaults())) {
            final List<Delta.ConceptDelta> many = new ArrayList<>();
            for (int i = 0; i < MemoryEngine.SNAPSHOT_CHUNK + 5; i++) {
                many.add(Deltas.concept("Concept" + i, i));
            }
            engine.apply("t", new Delta(many, List.of(), List.of(), List.of(), List.of()));
            final List<Delta> chunks = new ArrayList<>();
            engine.snapshot("t", chunks::add);
            assertEquals(2, chunks.size());
            assertEquals(MemoryEngine.SNAPSHOT_CHUNK, chunks.get(0).concepts().size());
        }
    }

    static long checksumOf(final List<Delta> deltas) {
        try (MemoryEngine engine = MemoryEngine.create(EngineConfig.defaults())) {
            deltas.forEach(d -> engine.apply("t", d));
            return engine.checksum("t");
        }
    }

    static List<Delta> randomDeltas(final Random random, final int n) {
        final List<Delta> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            final long time = 1_000L + random.nextInt(100);
            final int k = 2 + random.nextInt(4);
            final List<String> names = new ArrayList<>();
            while (names.size() < k) {
                final String w = WORDS[random.nextInt(WORDS.length)];
                final String spelled = random.nextBoolean() ? w : w.toUpperCase(java.util.Locale.ROOT);
                if (names.stream().noneMatch(x -> ConceptKeys.normalize(x).equals(ConceptKeys.normalize(spelled)))) {
                    names.add(spelled);
                }
            }
            final List<Delta.ConceptDelta> concepts =
                    names.stream().map(x -> Deltas.concept(x, time)).toList();
            final List<Delta.LinkDelta> links = new ArrayList<>();
            for (int a = 0; a < k; a++) {
                for (int b = a + 1; b < k; b++) {
                    links.add(new Delta.LinkDelta(
                            ConceptKeys.normalize(names.get(a)),
                            ConceptKeys.normalize(names.get(b)),
                            1 + random.nextInt(2),
                            time + random.nextInt(10)));
                }
            }
            final List<String> keys = names.stream()
                    .map(ConceptKeys::normalize)
                    .sorted()
                    .distinct()
                    .toList();
            // ids collide on purpose (a memory is a set element); an id always names the same memory
            final long memoryId = 1L + random.nextInt(n);
            final List<String> memoryKeys = List.of(ConceptKeys.normalize(WORDS[(int) (memoryId % WORDS.length)]));
            final List<Delta.ConceptDelta> withMemoryConcept = new ArrayList<>(concepts);
            withMemoryConcept.add(Deltas.concept(WORDS[(int) (memoryId % WORDS.length)], time));
            out.add(new Delta(
                    withMemoryConcept,
                    links,
                    List.of(new Delta.CompoundDelta(keys, 1, time)),
                    List.of(new Delta.MemoryDelta(
                            memoryId, "s", "user " + memoryId, "ai " + memoryId, "", "{}", memoryId * 10, memoryKeys)),
                    List.of(new Delta.DecisionDelta(memoryId, 0, "I will do " + memoryId, memoryId * 10))));
        }
        return out;
    }
}
