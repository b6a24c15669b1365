package ai.continuum.server.core;

import ai.continuum.engine.ApplyResult;
import ai.continuum.engine.PruneReport;
import java.util.Objects;

/**
 * What applying one committed op to the engine produced, kept by the {@link EngineApplier} for the request that
 * committed it: what a write created, and for a prune its report (null for every other op). Immutable.
 */
record OpOutcome(ApplyResult created, PruneReport pruned) {
    static final OpOutcome NONE = new OpOutcome(ApplyResult.NONE, null);

    OpOutcome {
        Objects.requireNonNull(created, "created");
    }

    static OpOutcome created(final ApplyResult created) {
        return created.equals(ApplyResult.NONE) ? NONE : new OpOutcome(created, null);
    }

    static OpOutcome pruned(final PruneReport report) {
        return new OpOutcome(ApplyResult.NONE, Objects.requireNonNull(report, "report"));
    }
}
