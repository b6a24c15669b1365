package ai.continuum.engine;

import java.util.List;
import java.util.function.Function;

/**
 * The one set of size limits for stored content, in UTF-8 bytes, enforced before anything is written (learn, turn,
 * memory create, the CLI, the embedding API, import and migrate) and used at start-up to skip stored rows written
 * before the limits existed. The engine keeps each memory and each concept's texts in one off-heap block of at most
 * {@link ai.continuum.engine.store.OffHeapArena#CHUNK_BYTES} bytes; the limits sit well below that, so anything
 * admitted can always be loaded again.
 *
 * <ul>
 *   <li>{@value #MEMORY_BYTES} bytes per memory ({@code memory_bytes}): session id, user message, AI response,
 *       thinking, metadata and the keys of the concepts it mentions, together;</li>
 *   <li>{@value #METADATA_BYTES} bytes of metadata per memory ({@code metadata_bytes});</li>
 *   <li>{@value #CONCEPT_NAME_BYTES} bytes per concept name, key or type ({@code concept_name_bytes});</li>
 *   <li>{@value #CONCEPT_DESCRIPTION_BYTES} bytes per concept description ({@code concept_description_bytes});</li>
 *   <li>a decision's text counts against {@code memory_bytes}.</li>
 * </ul>
 *
 * <p>The limits are fixed, not configurable: a limit lowered after data was stored would turn stored rows into rows
 * the next start must skip. Thread safety: stateless.
 */
public final class SizeLimits {
    public static final int MEMORY_BYTES = 4 * 1024 * 1024;
    public static final int METADATA_BYTES = 64 * 1024;
    public static final int CONCEPT_NAME_BYTES = 1024;
    public static final int CONCEPT_DESCRIPTION_BYTES = 16 * 1024;

    private SizeLimits() {}

    /** Checks a turn before anything is extracted from it. */
    public static void check(final Turn turn) {
        within("metadata_bytes", METADATA_BYTES, utf8Length(turn.metadata()), turn, t -> "the metadata");
        final long total = utf8Length(turn.sessionId())
                + utf8Length(turn.userText())
                + utf8Length(turn.aiText())
                + utf8Length(turn.thinking())
                + utf8Length(turn.metadata());
        within("memory_bytes", MEMORY_BYTES, total, turn, t -> "the memory");
    }

    /** Checks every item of a delta; throws for the first one over a limit. */
    public static void check(final Delta delta) {
        for (final Delta.ConceptDelta c : delta.concepts()) {
            final String problem = problem(c);
            if (problem != null) {
                throw exceeded(c);
            }
        }
        for (final Delta.LinkDelta l : delta.links()) {
            key(l.a());
            key(l.b());
        }
        for (final Delta.CompoundDelta c : delta.compounds()) {
            c.components().forEach(SizeLimits::key);
        }
        for (final Delta.MemoryDelta m : delta.memories()) {
            check(m);
        }
        for (final Delta.DecisionDelta d : delta.decisions()) {
            within(
                    "memory_bytes",
                    MEMORY_BYTES,
                    utf8Length(d.text()),
                    d,
                    x -> "decision " + x.ordinal() + " of memory " + x.memoryId());
        }
    }

    /** Checks one memory. */
    public static void check(final Delta.MemoryDelta m) {
        within("metadata_bytes", METADATA_BYTES, utf8Length(m.metadata()), m, x -> "the metadata of memory " + x.id());
        within("memory_bytes", MEMORY_BYTES, memoryBytes(m), m, x -> "memory " + x.id());
        m.concepts().forEach(SizeLimits::key);
    }

    /** What makes {@code m} exceed a limit, or null when it is within them all. */
    public static String problem(final Delta.MemoryDelta m) {
        try {
            check(m);
            return null;
        } catch (final SizeLimitExceededException e) {
            return e.getMessage();
        }
    }

    /** What makes {@code c} exceed a limit, or null when it is within them all. */
    public static String problem(final Delta.ConceptDelta c) {
        final long longestName =
                Math.max(utf8Length(c.key()), Math.max(utf8Length(c.displayName()), utf8Length(c.type())));
        if (longestName > CONCEPT_NAME_BYTES) {
            return message(
                    "concept_name_bytes",
                    CONCEPT_NAME_BYTES,
                    longestName,
                    "a name of concept '" + abbreviate(c.key()) + "'");
        }
        final long description = utf8Length(c.description());
        if (description > CONCEPT_DESCRIPTION_BYTES) {
            return message(
                    "concept_description_bytes",
                    CONCEPT_DESCRIPTION_BYTES,
                    description,
                    "the description of concept '" + abbreviate(c.key()) + "'");
        }
        return null;
    }

    /** Whether a concept key is within {@code concept_name_bytes}. */
    public static boolean keyFits(final String key) {
        return utf8Length(key) <= CONCEPT_NAME_BYTES;
    }

    /** The bytes a memory counts against {@code memory_bytes}. */
    public static long memoryBytes(final Delta.MemoryDelta m) {
        long total = utf8Length(m.sessionId())
                + utf8Length(m.userText())
                + utf8Length(m.aiText())
                + utf8Length(m.thinking())
                + utf8Length(m.metadata());
        final List<String> concepts = m.concepts();
        for (final String key : concepts) {
            total += utf8Length(key);
        }
        return total;
    }

    /** UTF-8 length of {@code s} without encoding it (an unpaired surrogate counts as the 3 bytes of U+FFFD). */
    public static long utf8Length(final String s) {
        long bytes = 0;
        final int n = s.length();
        for (int i = 0; i < n; i++) {
            final char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static SizeLimitExceededException exceeded(final Delta.ConceptDelta c) {
        final long longestName =
                Math.max(utf8Length(c.key()), Math.max(utf8Length(c.displayName()), utf8Length(c.type())));
        return longestName > CONCEPT_NAME_BYTES
                ? new SizeLimitExceededException(
                        "concept_name_bytes",
                        CONCEPT_NAME_BYTES,
                        longestName,
                        "a name of concept '" + abbreviate(c.key()) + "'")
                : new SizeLimitExceededException(
                        "concept_description_bytes",
                        CONCEPT_DESCRIPTION_BYTES,
                        utf8Length(c.description()),
                        "the description of concept '" + abbreviate(c.key()) + "'");
    }

    private static void key(final String key) {
        within(
                "concept_name_bytes",
                CONCEPT_NAME_BYTES,
                utf8Length(key),
                key,
                k -> "concept key '" + abbreviate(k) + "'");
    }

    /**
     * Throws when {@code actual} is over {@code max}, describing {@code item} with {@code what}. The description is
     * built only then: these checks run on every learn, and a non-capturing {@code what} allocates nothing.
     */
    private static <T> void within(
            final String limit, final int max, final long actual, final T item, final Function<T, String> what) {
        if (actual > max) {
            throw new SizeLimitExceededException(limit, max, actual, what.apply(item));
        }
    }

    static String message(final String limit, final long max, final long actual, final String what) {
        return what + " is " + actual + " bytes (UTF-8), over the limit " + limit + " of " + max + " bytes";
    }

    private static String abbreviate(final String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
