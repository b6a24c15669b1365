package ai.continuum.server.transfer;

/** The item arrays of a tenant in an export document, in the order they are written (and must be read). */
enum Section {
    CONCEPTS("concepts"),
    LINKS("links"),
    COMPOUNDS("compounds"),
    MEMORIES("memories"),
    DECISIONS("decisions"),
    FORGOTTEN_MEMORIES("forgotten_memories");

    private final String field;

    Section(final String field) {
        this.field = field;
    }

    String field() {
        return field;
    }

    /** The section written after this one; the declaration order is the document's order. */
    @SuppressWarnings("EnumOrdinal") // the declaration order is the format: each section follows the one above it
    Section next() {
        return values()[ordinal() + 1];
    }

    static Section byField(final String field) {
        for (final Section s : values()) {
            if (s.field.equals(field)) {
                return s;
            }
        }
        return null;
    }
}
