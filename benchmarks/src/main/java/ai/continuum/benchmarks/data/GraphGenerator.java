package ai.continuum.benchmarks.data;

import ai.continuum.engine.Delta;
import ai.continuum.engine.Delta.ConceptDelta;
import ai.continuum.engine.Delta.LinkDelta;
import ai.continuum.engine.Delta.MemoryDelta;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A seeded power-law concept graph for one tenant, streamed as engine {@link Delta} chunks.
 *
 * <p>Shape: preferential attachment. Concept {@code v} arrives after concepts {@code 0..v-1} and links to a few
 * distinct earlier ones, each chosen with probability proportional to its degree so far (nine times in ten) or
 * uniformly (otherwise, so that late concepts are reachable too). Links of one arriving concept are distinct and
 * always involve the new concept, so every link is emitted exactly once. Degrees come out heavy-tailed: at 1M/5M the
 * largest hub has thousands of links while the mean is ten. Link counts are skewed (most links seen once, a few up to
 * {@value #MAX_LINK_COUNT} times), so derived strengths span the whole 0.1..1.0 range.
 *
 * <p>Order of emission: all concept chunks, then link chunks, then memory chunks (one memory per
 * {@value #CONCEPTS_PER_MEMORY} concepts, each naming 3 to 6 concepts), every chunk holding at most
 * {@code chunkSize} records. Heap use is O(links) ints for the attachment table; {@link NameTable} names are computed,
 * {@link SharedWordNames} names (the word-sharing graph, {@link ConceptNames.Kind#SHARED}) are held.
 *
 * <p>Not thread-safe; a generator may run {@link #generate} any number of times with the same result.
 */
public final class GraphGenerator {
    /** Largest co-occurrence count of a generated link; the engine's strength saturates at 7 with seed values. */
    public static final int MAX_LINK_COUNT = 12;

    public static final int CONCEPTS_PER_MEMORY = 10;
    /** 2026-01-01T00:00:00Z; concept i is first seen i seconds later. */
    public static final long BASE_MILLIS = 1_767_225_600_000L;

    private static final double UNIFORM_SHARE = 0.1;
    private static final double CONTINUE_COUNT = 0.55;
    private static final long THIRTY_DAYS_MILLIS = 30L * 24 * 3600 * 1000;

    private final GraphSize size;
    private final long seed;
    private final int chunkSize;
    private final ConceptNames names;

    public GraphGenerator(final GraphSize size, final long seed, final int chunkSize, final ConceptNames.Kind kind) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize=" + chunkSize + " must be >= 1");
        }
        this.size = size;
        this.seed = seed;
        this.chunkSize = chunkSize;
        this.names = kind.create(seed, size.concepts());
    }

    public GraphGenerator(final GraphSize size, final long seed, final int chunkSize) {
        this(size, seed, chunkSize, ConceptNames.Kind.UNIQUE);
    }

    public GraphGenerator(final GraphSize size, final long seed, final ConceptNames.Kind kind) {
        this(size, seed, 20_000, kind);
    }

    public GraphGenerator(final GraphSize size, final long seed) {
        this(size, seed, 20_000, ConceptNames.Kind.UNIQUE);
    }

    public ConceptNames names() {
        return names;
    }

    /** Emits the whole graph to {@code sink} in chunks and returns its summary. */
    public GeneratedGraph generate(final Consumer<Delta> sink) {
        final Checksum checksum = new Checksum();
        emitConcepts(sink, checksum);
        final SplittableRandom random = new SplittableRandom(seed);
        final int[] degrees = new int[size.concepts()];
        final int[] endpoints = new int[2 * size.links()];
        emitLinks(sink, checksum, random, degrees, endpoints);
        final int memories = emitMemories(sink, checksum, random, endpoints);
        return new GeneratedGraph(size, memories, names, degrees, checksum.value);
    }

    private void emitConcepts(final Consumer<Delta> sink, final Checksum checksum) {
        final List<ConceptDelta> chunk = new ArrayList<>(Math.min(chunkSize, size.concepts()));
        for (int id = 0; id < size.concepts(); id++) {
            final String display = names.displayName(id);
            final ConceptDelta c =
                    new ConceptDelta(names.key(id), display, "concept", "Synthetic concept", conceptMillis(id));
            checksum.add(c.key().hashCode()).add(c.firstSeenMillis());
            chunk.add(c);
            if (chunk.size() == chunkSize) {
                sink.accept(new Delta(chunk, List.of(), List.of(), List.of(), List.of()));
                chunk.clear();
            }
        }
        if (!chunk.isEmpty()) {
            sink.accept(new Delta(chunk, List.of(), List.of(), List.of(), List.of()));
        }
    }

    private void emitLinks(
            final Consumer<Delta> sink,
            final Checksum checksum,
            final SplittableRandom random,
            final int[] degrees,
            final int[] endpoints) {
        final int concepts = size.concepts();
        final List<LinkDelta> chunk = new ArrayList<>(Math.min(chunkSize, size.links()));
        final int[] targets = new int[concepts];
        int filled = 0;
        long remaining = size.links();
        for (int v = 1; v < concepts && remaining > 0; v++) {
            // Spread the links still owed over the concepts still to come; early concepts cannot take more than v.
            final long owed = (remaining + (concepts - v) - 1) / (concepts - v);
            final int wanted = (int) Math.min(v, owed);
            final int chosen = chooseTargets(v, wanted, random, endpoints, filled, targets);
            for (int t = 0; t < chosen; t++) {
                final int u = targets[t];
                final int count = linkCount(random);
                final long lastSeen = conceptMillis(v) + random.nextLong(THIRTY_DAYS_MILLIS);
                final LinkDelta link = new LinkDelta(names.key(v), names.key(u), count, lastSeen);
                checksum.add(link.a().hashCode())
                        .add(link.b().hashCode())
                        .add(count)
                        .add(lastSeen);
                chunk.add(link);
                endpoints[filled++] = v;
                endpoints[filled++] = u;
                degrees[v]++;
                degrees[u]++;
                if (chunk.size() == chunkSize) {
                    sink.accept(new Delta(List.of(), chunk, List.of(), List.of(), List.of()));
                    chunk.clear();
                }
            }
            remaining -= chosen;
        }
        if (!chunk.isEmpty()) {
            sink.accept(new Delta(List.of(), chunk, List.of(), List.of(), List.of()));
        }
    }

    /** Picks {@code wanted} distinct concepts among 0..v-1 into {@code targets[0..wanted)}. */
    private static int chooseTargets(
            final int v,
            final int wanted,
            final SplittableRandom random,
            final int[] endpoints,
            final int filled,
            final int[] targets) {
        int chosen = 0;
        int attempts = 0;
        while (chosen < wanted) {
            final int candidate;
            if (attempts++ > 32 * wanted) {
                // Rejection keeps failing only when almost all of 0..v-1 are taken: take the first free one.
                candidate = firstFree(v, targets, chosen);
            } else if (filled == 0 || random.nextDouble() < UNIFORM_SHARE) {
                candidate = random.nextInt(v);
            } else {
                candidate = endpoints[random.nextInt(filled)];
            }
            if (!contains(targets, chosen, candidate)) {
                targets[chosen++] = candidate;
            }
        }
        return chosen;
    }

    private static int firstFree(final int v, final int[] targets, final int chosen) {
        for (int u = 0; u < v; u++) {
            if (!contains(targets, chosen, u)) {
                return u;
            }
        }
        throw new IllegalStateException("no free target below " + v);
    }

    static boolean contains(final int[] values, final int length, final int value) {
        for (int i = 0; i < length; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }

    /** 1 with probability 0.45, then each further co-occurrence with probability 0.55, capped. */
    private static int linkCount(final SplittableRandom random) {
        int count = 1;
        while (count < MAX_LINK_COUNT && random.nextDouble() < CONTINUE_COUNT) {
            count++;
        }
        return count;
    }

    private int emitMemories(
            final Consumer<Delta> sink, final Checksum checksum, final SplittableRandom random, final int[] endpoints) {
        final int memories = Math.max(1, size.concepts() / CONCEPTS_PER_MEMORY);
        final List<MemoryDelta> chunk = new ArrayList<>(Math.min(chunkSize, memories));
        final int[] picked = new int[6];
        for (int m = 0; m < memories; m++) {
            final int wanted = 3 + random.nextInt(4);
            int n = 0;
            picked[n++] = random.nextInt(size.concepts());
            while (n < wanted) {
                final int candidate = endpoints[random.nextInt(endpoints.length)];
                if (!contains(picked, n, candidate)) {
                    picked[n++] = candidate;
                }
            }
            final List<String> keys = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                keys.add(names.key(picked[i]));
            }
            final String user =
                    "What about " + names.displayName(picked[0]) + " and " + names.displayName(picked[1]) + "?";
            final String ai =
                    "We tied " + names.displayName(picked[2]) + " to " + names.displayName(picked[0]) + " last week.";
            final long id = m + 1L;
            final long time = BASE_MILLIS + THIRTY_DAYS_MILLIS + id * 1000;
            final MemoryDelta memory = new MemoryDelta(id, "session-" + (m % 1000), user, ai, "", "", time, keys);
            checksum.add(id).add(user.hashCode()).add(ai.hashCode()).add(keys.hashCode());
            chunk.add(memory);
            if (chunk.size() == chunkSize) {
                sink.accept(new Delta(List.of(), List.of(), List.of(), chunk, List.of()));
                chunk.clear();
            }
        }
        if (!chunk.isEmpty()) {
            sink.accept(new Delta(List.of(), List.of(), List.of(), chunk, List.of()));
        }
        return memories;
    }

    private static long conceptMillis(final int id) {
        return BASE_MILLIS + id * 1000L;
    }

    /** Order-dependent 64-bit mix of every emitted field. */
    private static final class Checksum {
        private long value = 0x243F6A8885A308D3L;

        Checksum add(final long x) {
            value = NameTable.mix64(value ^ x);
            return this;
        }
    }
}
