package ai.continuum.engine;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An order-independent 64-bit digest of a tenant's state: the sum (mod 2^64) of a strong 64-bit hash of each element
 * (concept, link, compound, memory, decision), each element described by its keys and values, never by engine-local
 * ids. Two engines hold the same state exactly when (with overwhelming probability) their digests are equal,
 * whatever order the deltas arrived in.
 */
final class StateDigest {
    private long sum;

    void concept(final Delta.ConceptDelta c) {
        add(hash("c", c.key(), c.displayName(), c.type(), c.description(), Long.toString(c.firstSeenMillis())));
    }

    void link(final Delta.LinkDelta l) {
        add(hash("l", l.a(), l.b(), Integer.toString(l.count()), Long.toString(l.lastSeenMillis())));
    }

    void compound(final Delta.CompoundDelta c) {
        add(hash(
                "k",
                String.join("\u001f", c.components()),
                Integer.toString(c.count()),
                Long.toString(c.lastSeenMillis())));
    }

    void memory(final Delta.MemoryDelta m) {
        final List<String> sorted = m.concepts().stream().sorted().toList();
        add(hash(
                "m",
                Long.toString(m.id()),
                m.sessionId(),
                m.userText(),
                m.aiText(),
                m.thinking(),
                m.metadata(),
                Long.toString(m.timeMillis()),
                String.join("\u001f", sorted)));
    }

    void decision(final Delta.DecisionDelta d) {
        add(hash(
                "d",
                Long.toString(d.memoryId()),
                Integer.toString(d.ordinal()),
                d.text(),
                Long.toString(d.timeMillis())));
    }

    void addAll(final Delta d) {
        d.concepts().forEach(this::concept);
        d.links().forEach(this::link);
        d.compounds().forEach(this::compound);
        d.memories().forEach(this::memory);
        d.decisions().forEach(this::decision);
    }

    long value() {
        return sum;
    }

    private void add(final long h) {
        sum += h;
    }

    /** 64-bit FNV-1a over length-prefixed UTF-8 fields, then a murmur3 finaliser to spread it. */
    private static long hash(final String... fields) {
        long h = 0xcbf29ce484222325L;
        for (final String f : fields) {
            final byte[] bytes = f.getBytes(StandardCharsets.UTF_8);
            h = (h ^ bytes.length) * 0x100000001b3L;
            for (final byte b : bytes) {
                h = (h ^ (b & 0xff)) * 0x100000001b3L;
            }
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
