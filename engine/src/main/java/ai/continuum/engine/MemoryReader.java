package ai.continuum.engine;

import ai.continuum.engine.store.ConceptGraph;
import ai.continuum.engine.store.ConceptLayout;
import ai.continuum.engine.store.DecodeBuffer;
import ai.continuum.engine.store.MemoryTable;
import java.util.ArrayList;
import java.util.List;

/** Decodes a memory record into a {@link Memory}, with its concepts' display names. Any thread. */
final class MemoryReader {
    private MemoryReader() {}

    /**
     * The memory at {@code index} if it is live and belongs to {@code tenant}; else null.
     *
     * @param buffer       the reader's own, to copy the text through
     * @param withConcepts whether to decode the display names of the memory's concepts (a string decode per concept,
     *                     from records that are usually cold): recall leaves them out.
     */
    static Memory read(
            final MemoryTable memories,
            final ConceptGraph graph,
            final int index,
            final int tenant,
            final String[] strings,
            final DecodeBuffer buffer,
            final boolean withConcepts) {
        if (!memories.exists(index) || memories.tenant(index) != tenant) {
            return null;
        }
        final List<String> names;
        if (!withConcepts) {
            if (!memories.readText(index, strings, buffer)) {
                return null;
            }
            names = List.of();
        } else {
            final int[] conceptIds = memories.read(index, strings, buffer);
            if (conceptIds == null) {
                return null;
            }
            names = new ArrayList<>(conceptIds.length);
            for (final int id : conceptIds) {
                final long info = graph.getLong(id, ConceptLayout.INFO_ADDR);
                if (info != 0 && graph.tenantOf(id) == tenant) {
                    names.add(ConceptInfo.displayName(graph.arena(), info, buffer));
                }
            }
        }
        return new Memory(
                memories.id(index),
                strings[0],
                strings[1],
                strings[2],
                strings[3],
                strings[4],
                memories.timeMillis(index),
                List.copyOf(names));
    }
}
