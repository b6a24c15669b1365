package ai.continuum.engine;

import java.util.List;

/** Small builders for hand-made deltas in tests. */
final class Deltas {
    private Deltas() {}

    static Delta.ConceptDelta concept(final String name, final long time) {
        return new Delta.ConceptDelta(ConceptKeys.normalize(name), name, "concept", "Extracted from user", time);
    }

    static Delta concepts(final long time, final String... names) {
        return new Delta(
                java.util.Arrays.stream(names).map(n -> concept(n, time)).toList(),
                List.of(),
                List.of(),
                List.of(),
                List.of());
    }

    static Delta link(final String a, final String b, final int count, final long time) {
        return new Delta(
                List.of(concept(a, time), concept(b, time)),
                List.of(new Delta.LinkDelta(ConceptKeys.normalize(a), ConceptKeys.normalize(b), count, time)),
                List.of(),
                List.of(),
                List.of());
    }

    static Delta memory(final long id, final String user, final String ai, final long time, final String... concepts) {
        return new Delta(
                java.util.Arrays.stream(concepts).map(n -> concept(n, time)).toList(),
                List.of(),
                List.of(),
                List.of(new Delta.MemoryDelta(
                        id,
                        "s" + id,
                        user,
                        ai,
                        "",
                        "",
                        time,
                        java.util.Arrays.stream(concepts)
                                .map(ConceptKeys::normalize)
                                .toList())),
                List.of());
    }
}
