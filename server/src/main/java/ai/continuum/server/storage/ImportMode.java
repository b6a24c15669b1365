package ai.continuum.server.storage;

/** How an import meets the state a tenant already holds. */
public enum ImportMode {
    /**
     * The document is merged into the tenant's state, as if its deltas were learned: link and compound counts add,
     * times take the maximum, the earliest sighting of a concept wins, memories, decisions and tombstones are unions.
     * A source is merged once: merging the same document again changes nothing.
     */
    MERGE,
    /**
     * The tenant's concepts, links, compounds, memories and decisions are removed first, so the tenant holds exactly
     * the document's state. Forgotten memories stay forgotten.
     */
    REPLACE
}
