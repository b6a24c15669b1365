package ai.continuum.server.core;

import ai.continuum.engine.Delta;
import ai.continuum.engine.SizeLimits;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.logging.Logger;

/**
 * Screens stored state on its way into the engine: a row over the {@link SizeLimits} (stored before the limits
 * existed, or written behind the API) is left out and reported instead of failing the whole start, as are the links,
 * compounds and postings that name a concept left out. Each skipped row is logged (the first {@value #LOGGED_ROWS}
 * one by one, then only counted) and counted for readiness and {@code continuum doctor}; the row stays in the
 * database untouched, for an operator to export, shorten or forget.
 *
 * <p>Thread safety: one screen per load, called from the loading thread; {@link #skipped} may be read from any thread
 * once the load is done.
 */
public final class StoredRowScreen implements BiConsumer<String, Delta> {
    static final int LOGGED_ROWS = 100;
    private static final Logger LOG = Logger.getLogger(StoredRowScreen.class.getName());

    /** One row left out: its tenant, what it is (e.g. "memory 42") and which limit it breaks. */
    public record SkippedRow(String tenant, String row, String problem) {}

    private final BiConsumer<String, Delta> sink;
    private final List<SkippedRow> firstSkipped = new ArrayList<>();
    /** Keys of concepts left out, per "tenant\u001fkey": whatever names them is left out too. */
    private final Set<String> skippedConcepts = new HashSet<>();

    private volatile long skipped;

    public StoredRowScreen(final BiConsumer<String, Delta> sink) {
        this.sink = sink;
    }

    @Override
    public void accept(final String tenant, final Delta delta) {
        final Delta screened = screen(tenant, delta);
        if (screened != null) {
            sink.accept(tenant, screened);
        }
    }

    /** Rows left out so far. */
    public long skipped() {
        return skipped;
    }

    /** The first {@value #LOGGED_ROWS} rows left out. */
    public List<SkippedRow> firstSkipped() {
        return List.copyOf(firstSkipped);
    }

    /** {@code delta} without the rows over a limit; the same object when nothing is left out, null when empty. */
    private Delta screen(final String tenant, final Delta delta) {
        List<Delta.ConceptDelta> concepts = delta.concepts();
        List<Delta.LinkDelta> links = delta.links();
        List<Delta.CompoundDelta> compounds = delta.compounds();
        List<Delta.MemoryDelta> memories = delta.memories();
        boolean changed = false;
        if (concepts.stream().anyMatch(c -> SizeLimits.problem(c) != null)) {
            concepts = new ArrayList<>(concepts);
            concepts.removeIf(c -> {
                final String problem = SizeLimits.problem(c);
                if (problem == null) {
                    return false;
                }
                skippedConcepts.add(tenant + '\u001f' + c.key());
                skip(tenant, "concept '" + abbreviate(c.key()) + "'", problem);
                return true;
            });
            changed = true;
        }
        if (links.stream().anyMatch(l -> !fits(tenant, l.a()) || !fits(tenant, l.b()))) {
            links = new ArrayList<>(links);
            links.removeIf(l -> {
                final boolean out = !fits(tenant, l.a()) || !fits(tenant, l.b());
                if (out) {
                    skip(
                            tenant,
                            "link '" + abbreviate(l.a()) + "' - '" + abbreviate(l.b()) + "'",
                            "it names a concept that was skipped or whose key is over concept_name_bytes");
                }
                return out;
            });
            changed = true;
        }
        if (compounds.stream().anyMatch(c -> !c.components().stream().allMatch(k -> fits(tenant, k)))) {
            compounds = new ArrayList<>(compounds);
            compounds.removeIf(c -> {
                final boolean out = !c.components().stream().allMatch(k -> fits(tenant, k));
                if (out) {
                    skip(
                            tenant,
                            "compound " + abbreviate(c.joinedKey()),
                            "it names a concept that was skipped or whose key is over concept_name_bytes");
                }
                return out;
            });
            changed = true;
        }
        if (memories.stream()
                .anyMatch(m ->
                        SizeLimits.problem(m) != null || !m.concepts().stream().allMatch(k -> fits(tenant, k)))) {
            memories = new ArrayList<>(memories);
            memories.removeIf(m -> {
                final String problem = SizeLimits.problem(m);
                if (problem != null) {
                    skip(tenant, "memory " + m.id(), problem);
                    return true;
                }
                return false;
            });
            memories.replaceAll(m -> m.concepts().stream().allMatch(k -> fits(tenant, k))
                    ? m
                    : new Delta.MemoryDelta(
                            m.id(),
                            m.sessionId(),
                            m.userText(),
                            m.aiText(),
                            m.thinking(),
                            m.metadata(),
                            m.timeMillis(),
                            m.concepts().stream().filter(k -> fits(tenant, k)).toList()));
            changed = true;
        }
        final List<Delta.DecisionDelta> decisions = delta.decisions().stream()
                .filter(d -> {
                    final boolean fits = SizeLimits.utf8Length(d.text()) <= SizeLimits.MEMORY_BYTES;
                    if (!fits) {
                        skip(
                                tenant,
                                "decision " + d.ordinal() + " of memory " + d.memoryId(),
                                "its text is over memory_bytes (" + SizeLimits.MEMORY_BYTES + " bytes)");
                    }
                    return fits;
                })
                .toList();
        changed |= decisions.size() != delta.decisions().size();
        if (!changed) {
            return delta;
        }
        final Delta screened = new Delta(concepts, links, compounds, memories, decisions);
        return screened.concepts().isEmpty()
                        && screened.links().isEmpty()
                        && screened.compounds().isEmpty()
                        && screened.memories().isEmpty()
                        && screened.decisions().isEmpty()
                ? null
                : screened;
    }

    private boolean fits(final String tenant, final String key) {
        return SizeLimits.keyFits(key) && !skippedConcepts.contains(tenant + '\u001f' + key);
    }

    private void skip(final String tenant, final String row, final String problem) {
        final long n = skipped + 1;
        skipped = n;
        if (firstSkipped.size() < LOGGED_ROWS) {
            firstSkipped.add(new SkippedRow(tenant, row, problem));
            LOG.warning("skipped a stored row that cannot be loaded: tenant '" + tenant + "', " + row + ": " + problem
                    + " (it stays in the database; forget it or export and shorten it)");
        } else if (n == LOGGED_ROWS + 1) {
            LOG.warning("more stored rows are over the size limits; counting them without logging each");
        }
    }

    private static String abbreviate(final String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
