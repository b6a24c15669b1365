package ai.continuum.benchmarks.engine;

import ai.continuum.engine.ConceptKeys;
import ai.continuum.engine.Delta;
import ai.continuum.engine.EngineConfig;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The recall baseline: the same graph in plain on-heap Java (a {@link HashMap} from key to dense id, adjacency in
 * compressed rows sorted strongest first) and the same resonance, exact Title-Case matches seeded at 1.0, then
 * {@code depth} hops over the {@code neighboursPerHop} strongest neighbours with activation multiplied by strength and
 * decay, best activation kept. It does no partial matching, compounds, memories or result building, so it is a floor
 * for the graph walk rather than a rival engine.
 *
 * <p>Not thread-safe: one resonance at a time reuses the scratch arrays.
 */
final class HeapGraph {
    private static final Pattern PHRASE = Pattern.compile("[A-Z][a-z]+(?:\\s+[A-Z][a-z]+)+");

    private final Map<String, Integer> ids;
    private final int[] offsets;
    private final int[] neighbours;
    private final float[] strengths;
    private final int depth;
    private final int perHop;
    private final float decay;
    private final float[] activation;
    private final int[] touched;
    private final int[] frontier;
    private final int[] nextFrontier;

    private HeapGraph(
            final Map<String, Integer> ids,
            final int[] offsets,
            final int[] neighbours,
            final float[] strengths,
            final EngineConfig config) {
        this.ids = ids;
        this.offsets = offsets;
        this.neighbours = neighbours;
        this.strengths = strengths;
        this.depth = config.depth();
        this.perHop = config.neighboursPerHop();
        this.decay = (float) config.resonanceDecay();
        final int concepts = offsets.length - 1;
        this.activation = new float[concepts];
        this.touched = new int[concepts];
        this.frontier = new int[concepts];
        this.nextFrontier = new int[concepts];
    }

    /** Spreads activation from the concepts the query names; returns the number of concepts activated. */
    int resonate(final String query) {
        int touchedCount = 0;
        int frontierSize = 0;
        final Matcher m = PHRASE.matcher(query);
        while (m.find()) {
            final Integer id = ids.get(ConceptKeys.normalize(m.group()));
            if (id != null && activation[id] == 0f) {
                activation[id] = 1f;
                touched[touchedCount++] = id;
                frontier[frontierSize++] = id;
            }
        }
        int[] current = frontier;
        int[] next = nextFrontier;
        for (int hop = 0; hop < depth && frontierSize > 0; hop++) {
            int nextSize = 0;
            for (int f = 0; f < frontierSize; f++) {
                final int from = current[f];
                final float base = activation[from] * decay;
                final int end = Math.min(offsets[from + 1], offsets[from] + perHop);
                for (int e = offsets[from]; e < end; e++) {
                    final int to = neighbours[e];
                    final float a = base * strengths[e];
                    if (activation[to] == 0f) {
                        touched[touchedCount++] = to;
                        next[nextSize++] = to;
                        activation[to] = a;
                    } else if (a > activation[to]) {
                        activation[to] = a;
                    }
                }
            }
            final int[] swap = current;
            current = next;
            next = swap;
            frontierSize = nextSize;
        }
        for (int i = 0; i < touchedCount; i++) {
            activation[touched[i]] = 0f;
        }
        return touchedCount;
    }

    /** Collects a generated graph's deltas; concepts must arrive before the links that name them. */
    static final class Builder {
        private final Map<String, Integer> ids = new HashMap<>();
        private int[] a = new int[1024];
        private int[] b = new int[1024];
        private int[] counts = new int[1024];
        private int links;

        void accept(final Delta delta) {
            for (final Delta.ConceptDelta c : delta.concepts()) {
                ids.putIfAbsent(c.key(), ids.size());
            }
            for (final Delta.LinkDelta l : delta.links()) {
                if (links == a.length) {
                    a = Arrays.copyOf(a, links * 2);
                    b = Arrays.copyOf(b, links * 2);
                    counts = Arrays.copyOf(counts, links * 2);
                }
                a[links] = ids.get(l.a());
                b[links] = ids.get(l.b());
                counts[links] = l.count();
                links++;
            }
        }

        HeapGraph build() {
            final EngineConfig config = EngineConfig.defaults();
            final int concepts = ids.size();
            final int[] offsets = new int[concepts + 1];
            for (int i = 0; i < links; i++) {
                offsets[a[i] + 1]++;
                offsets[b[i] + 1]++;
            }
            for (int c = 0; c < concepts; c++) {
                offsets[c + 1] += offsets[c];
            }
            // Sort key per entry: count descending in the high bits, neighbour id in the low bits.
            final long[] entries = new long[2 * links];
            final int[] fill = Arrays.copyOf(offsets, concepts);
            for (int i = 0; i < links; i++) {
                entries[fill[a[i]]++] = pack(counts[i], b[i]);
                entries[fill[b[i]]++] = pack(counts[i], a[i]);
            }
            final int[] neighbours = new int[2 * links];
            final float[] strengths = new float[2 * links];
            for (int c = 0; c < concepts; c++) {
                Arrays.sort(entries, offsets[c], offsets[c + 1]);
                for (int e = offsets[c]; e < offsets[c + 1]; e++) {
                    neighbours[e] = (int) entries[e];
                    strengths[e] = (float) config.strength(Integer.MAX_VALUE - (int) (entries[e] >>> 32), 0.0);
                }
            }
            return new HeapGraph(ids, offsets, neighbours, strengths, config);
        }

        private static long pack(final int count, final int neighbour) {
            return ((long) (Integer.MAX_VALUE - count) << 32) | neighbour;
        }
    }
}
