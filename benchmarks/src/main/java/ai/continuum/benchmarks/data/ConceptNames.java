package ai.continuum.benchmarks.data;

import java.util.Locale;

/**
 * Names of the concepts of a generated graph, by dense id: distinct display names, and keys that are the display names
 * lower-cased (the engine's normalisation of a Title-Case name). Two kinds, chosen with {@link Kind}: names whose
 * words never repeat where it matters ({@link NameTable}), and names that share words the way real ones do
 * ({@link SharedWordNames}). Implementations are immutable and thread-safe.
 */
public interface ConceptNames {
    /** The display name of concept {@code id}. */
    String displayName(int id);

    /** The normalised key of concept {@code id}: its display name lower-cased. */
    default String key(final int id) {
        return displayName(id).toLowerCase(Locale.ROOT);
    }

    /** Which names a generated graph carries; the lower-case form is the benchmarks' {@code names} parameter. */
    enum Kind {
        /** {@link NameTable}: the first word is a bijection of the id, so a word of a name matches one concept. */
        UNIQUE,
        /** {@link SharedWordNames}: 2-3 words drawn Zipf from a shared vocabulary, as in "Apache Kafka". */
        SHARED;

        public static Kind parse(final String text) {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        }

        /** The names of {@code concepts} ids for this kind, a pure function of {@code seed}. */
        public ConceptNames create(final long seed, final int concepts) {
            return this == UNIQUE ? new NameTable(seed) : new SharedWordNames(seed, concepts);
        }
    }
}
