package ai.continuum.engine;

/** Outcome of {@link MemoryEngine#pruneWeakLinks}. Averages are over examined links (before) and survivors (after). */
public record PruneReport(
        long linksExamined,
        long linksPruned,
        double avgStrengthBefore,
        double avgStrengthAfter,
        double threshold,
        boolean decayApplied) {}
