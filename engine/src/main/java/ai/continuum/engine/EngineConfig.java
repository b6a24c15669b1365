package ai.continuum.engine;

/**
 * Every tunable of the engine, validated once at construction. Immutable; pass it down, never read globals.
 *
 * @param resonanceDecay         activation kept per hop of spreading activation, (0, 1]. Seed: 0.85.
 * @param hebbianRate            strength added per co-occurrence after the first, (0, 1]. Seed: 0.15.
 * @param minLinkStrength        strength of a link seen once, (0, 1]. Seed: 0.1.
 * @param workingMemoryCapacity  items per section of the context block, 1..100. Seed: 7.
 * @param depth                  hops of spreading activation, 0..5. Default 2.
 * @param neighboursPerHop       strongest neighbours followed per concept per hop, 1..1000. Default 10.
 * @param maxConcepts            concepts returned by recall unless the caller asks otherwise, 1..100. Default 10.
 * @param maxMemories            memories returned by recall unless the caller asks otherwise, 0..100. Default 5.
 * @param maxRelationships       links among returned concepts, 0..1000. Default 20.
 * @param partialMatchRelevance  activation of a word/substring match, (0, 1]. Default 0.7.
 * @param maxPartialMatches      partial matches seeded per query, 0..1000. Default 25.
 * @param decayPerDay            lazy time decay of link strength per day since last seen, (0, 1]; 1.0 turns it off.
 * @param maxConceptsPerMessage  concepts kept from one message, 1..1000. Default 20.
 * @param expectedConcepts       sizing hint for the off-heap concept dictionary (all tenants together), >= 1024.
 *                               A target, not a cap: the engine grows past it, a little slower. The engine's hash
 *                               tables are sized by their fill, not by this.
 */
public record EngineConfig(
        double resonanceDecay,
        double hebbianRate,
        double minLinkStrength,
        int workingMemoryCapacity,
        int depth,
        int neighboursPerHop,
        int maxConcepts,
        int maxMemories,
        int maxRelationships,
        double partialMatchRelevance,
        int maxPartialMatches,
        double decayPerDay,
        int maxConceptsPerMessage,
        long expectedConcepts) {
    // Each default and bound is defined here once; the server's ConfigKey, its recall endpoints, the CLI and the
    // embedding API read them from here (DefaultsAgreeTest holds application.yaml to the same values).
    public static final double DEFAULT_RESONANCE_DECAY = 0.85;
    public static final double DEFAULT_HEBBIAN_RATE = 0.15;
    public static final double DEFAULT_MIN_LINK_STRENGTH = 0.1;
    public static final int DEFAULT_WORKING_MEMORY_CAPACITY = 7;
    public static final int MAX_WORKING_MEMORY_CAPACITY = 100;
    public static final int DEFAULT_DEPTH = 2;
    public static final int MAX_DEPTH = 5;
    public static final int DEFAULT_NEIGHBOURS_PER_HOP = 10;
    public static final int MAX_NEIGHBOURS_PER_HOP = 1000;
    public static final int DEFAULT_MAX_CONCEPTS = 10;
    /** Recall returns between 1 and this many concepts. */
    public static final int MAX_CONCEPTS_LIMIT = 100;

    public static final int DEFAULT_MAX_MEMORIES = 5;
    /** Recall returns between 0 and this many memories. */
    public static final int MAX_MEMORIES_LIMIT = 100;
    /** 1.0: no time decay of link strength. */
    public static final double DEFAULT_DECAY_PER_DAY = 1.0;

    public static final long DEFAULT_EXPECTED_CONCEPTS = 1 << 16;
    public static final long MIN_EXPECTED_CONCEPTS = 1024;

    public EngineConfig {
        requireIn("resonanceDecay", resonanceDecay, 0.0, false, 1.0);
        requireIn("hebbianRate", hebbianRate, 0.0, false, 1.0);
        requireIn("minLinkStrength", minLinkStrength, 0.0, false, 1.0);
        requireIn("workingMemoryCapacity", workingMemoryCapacity, 1, MAX_WORKING_MEMORY_CAPACITY);
        requireIn("depth", depth, 0, MAX_DEPTH);
        requireIn("neighboursPerHop", neighboursPerHop, 1, MAX_NEIGHBOURS_PER_HOP);
        requireIn("maxConcepts", maxConcepts, 1, MAX_CONCEPTS_LIMIT);
        requireIn("maxMemories", maxMemories, 0, MAX_MEMORIES_LIMIT);
        requireIn("maxRelationships", maxRelationships, 0, 1000);
        requireIn("partialMatchRelevance", partialMatchRelevance, 0.0, false, 1.0);
        requireIn("maxPartialMatches", maxPartialMatches, 0, 1000);
        requireIn("decayPerDay", decayPerDay, 0.0, false, 1.0);
        requireIn("maxConceptsPerMessage", maxConceptsPerMessage, 1, 1000);
        if (expectedConcepts < MIN_EXPECTED_CONCEPTS) {
            throw new IllegalArgumentException(
                    "expectedConcepts=" + expectedConcepts + " must be >= " + MIN_EXPECTED_CONCEPTS);
        }
    }

    /** The seed's tuned values and the documented defaults. */
    public static EngineConfig defaults() {
        return new EngineConfig(
                DEFAULT_RESONANCE_DECAY,
                DEFAULT_HEBBIAN_RATE,
                DEFAULT_MIN_LINK_STRENGTH,
                DEFAULT_WORKING_MEMORY_CAPACITY,
                DEFAULT_DEPTH,
                DEFAULT_NEIGHBOURS_PER_HOP,
                DEFAULT_MAX_CONCEPTS,
                DEFAULT_MAX_MEMORIES,
                20,
                0.7,
                25,
                DEFAULT_DECAY_PER_DAY,
                20,
                DEFAULT_EXPECTED_CONCEPTS);
    }

    public EngineConfig withExpectedConcepts(final long expected) {
        return with(decayPerDay, expected);
    }

    public EngineConfig withDecayPerDay(final double decay) {
        return with(decay, expectedConcepts);
    }

    /** This config with the two fields the callers replace; every other field kept. */
    private EngineConfig with(final double decay, final long expected) {
        return new EngineConfig(
                resonanceDecay,
                hebbianRate,
                minLinkStrength,
                workingMemoryCapacity,
                depth,
                neighboursPerHop,
                maxConcepts,
                maxMemories,
                maxRelationships,
                partialMatchRelevance,
                maxPartialMatches,
                decay,
                maxConceptsPerMessage,
                expected);
    }

    /** Whether link strength depends on time (decayPerDay below 1). */
    public boolean timeDecayEnabled() {
        return decayPerDay < 1.0;
    }

    /**
     * Strength of a link seen {@code count} times, {@code daysSinceSeen} days after it was last seen:
     * {@code min(1, minLinkStrength + hebbianRate * (count - 1)) * decayPerDay ^ daysSinceSeen}.
     */
    public double strength(final int count, final double daysSinceSeen) {
        if (count <= 0) {
            return 0.0;
        }
        final double base = Math.min(1.0, minLinkStrength + hebbianRate * (count - 1));
        if (decayPerDay >= 1.0 || daysSinceSeen <= 0.0) {
            return base;
        }
        return base * Math.pow(decayPerDay, daysSinceSeen);
    }

    private static void requireIn(
            final String field, final double value, final double low, final boolean lowInclusive, final double high) {
        final boolean aboveLow = lowInclusive ? value >= low : value > low;
        if (!aboveLow || value > high || Double.isNaN(value)) {
            throw new IllegalArgumentException(
                    field + "=" + value + " must be in " + (lowInclusive ? "[" : "(") + low + ", " + high + "]");
        }
    }

    private static void requireIn(final String field, final long value, final long low, final long high) {
        if (value < low || value > high) {
            throw new IllegalArgumentException(field + "=" + value + " must be in [" + low + ", " + high + "]");
        }
    }
}
