package ai.continuum.server.storage;

import ai.continuum.engine.Delta;
import java.util.Objects;

/**
 * One change to a tenant's stored state, in the order the engine applied it. Every op travels through the
 * write-behind queue and is committed in one transaction with the others of its batch, and extends the tenant's
 * continuity chain.
 */
public sealed interface StorageOp {
    String tenant();

    /** Learned turn, imported data or any other merge of state. */
    record Apply(String tenant, Delta delta) implements StorageOp {
        public Apply {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(delta, "delta");
        }
    }

    /** Removes one memory (its row, its postings, its decisions). */
    record ForgetMemory(String tenant, long memoryId) implements StorageOp {}

    /** Removes one concept by key, with its links and its memory postings. */
    record ForgetConcept(String tenant, String conceptKey) implements StorageOp {}

    /**
     * Removes the tenant's concepts, links, compounds, memories and decisions, the first op of a replace-import. The
     * tombstones of forgotten memories stay (a forgotten memory stays forgotten), and so does the change log: a
     * replaced memory is not forgotten, its text remains in the history that led here.
     */
    record ClearTenant(String tenant) implements StorageOp {
        public ClearTenant {
            Objects.requireNonNull(tenant, "tenant");
        }
    }

    /**
     * Deletes links whose strength at {@code nowMillis} is below the threshold: decayed by time when
     * {@code applyDecay} and the engine has time decay configured, by count alone otherwise. The time is part of the op
     * so that every instance and every replay prunes exactly the same links.
     */
    record PruneLinks(String tenant, double threshold, long nowMillis, boolean applyDecay) implements StorageOp {}
}
