package ai.continuum.engine;

import ai.continuum.engine.store.CompoundTable;
import ai.continuum.engine.store.ConceptGraph;
import ai.continuum.engine.store.ConceptLayout;
import ai.continuum.engine.store.DecodeBuffer;
import ai.continuum.engine.store.MemoryTable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Emits one tenant's live state as deltas of bounded size. Runs on the writer (under the engine's write lock), so it
 * sees one consistent state. Memories list only concepts that still exist, so a rebuild creates no concept that a
 * forget removed.
 */
final class SnapshotWriter {
    private final ConceptGraph graph;
    private final MemoryTable memories;
    private final CompoundTable compounds;
    private final TenantState t;
    private final int chunk;
    private final Consumer<Delta> sink;
    private final List<Delta.ConceptDelta> concepts = new ArrayList<>();
    private final List<Delta.LinkDelta> links = new ArrayList<>();
    private final List<Delta.CompoundDelta> compoundDeltas = new ArrayList<>();
    private final List<Delta.MemoryDelta> memoryDeltas = new ArrayList<>();
    private final List<Delta.DecisionDelta> decisions = new ArrayList<>();
    private int pending;

    SnapshotWriter(
            final ConceptGraph graph,
            final MemoryTable memories,
            final CompoundTable compounds,
            final TenantState t,
            final int chunk,
            final Consumer<Delta> sink) {
        this.graph = graph;
        this.memories = memories;
        this.compounds = compounds;
        this.t = t;
        this.chunk = chunk;
        this.sink = sink;
    }

    void write() {
        for (int i = 0; i < t.concepts.size(); i++) {
            concepts.add(info(t.concepts.getInt(i)).toDelta());
            counted();
        }
        for (int i = 0; i < t.concepts.size(); i++) {
            final int id = t.concepts.getInt(i);
            final int degree = graph.degree(id);
            for (int pos = 0; pos < degree; pos++) {
                final int link = graph.linkAt(id, pos);
                if (graph.linkA(link) == id) {
                    links.add(new Delta.LinkDelta(
                            key(id), key(graph.linkB(link)), graph.linkCount(link), graph.linkLastSeen(link)));
                    counted();
                }
            }
        }
        for (int i = 0; i < t.compounds.size(); i++) {
            final int rec = t.compounds.getInt(i);
            if (compounds.tenant(rec) == CompoundTable.DELETED) {
                continue;
            }
            final List<String> keys = new ArrayList<>(compounds.componentCount(rec));
            for (int c = 0; c < compounds.componentCount(rec); c++) {
                keys.add(key(compounds.component(rec, c)));
            }
            compoundDeltas.add(new Delta.CompoundDelta(keys, compounds.count(rec), compounds.lastSeen(rec)));
            counted();
        }
        final String[] strings = new String[MemoryTable.STRINGS];
        final DecodeBuffer buffer = new DecodeBuffer(1024);
        for (int i = 0; i < t.memories.size(); i++) {
            final int index = t.memories.getInt(i);
            final int[] ids = memories.read(index, strings, buffer);
            if (ids == null) {
                continue;
            }
            final List<String> keys = new ArrayList<>(ids.length);
            for (final int id : ids) {
                if (graph.tenantOf(id) == t.id) {
                    keys.add(key(id));
                }
            }
            memoryDeltas.add(new Delta.MemoryDelta(
                    memories.id(index),
                    strings[0],
                    strings[1],
                    strings[2],
                    strings[3],
                    strings[4],
                    memories.timeMillis(index),
                    keys));
            counted();
        }
        for (int i = 0; i < t.decisions.size(); i++) {
            final int d = t.decisions.getInt(i);
            if (memories.decisionLive(d)) {
                decisions.add(new Delta.DecisionDelta(
                        memories.decisionMemoryId(d),
                        memories.decisionOrdinal(d),
                        memories.decisionText(d),
                        memories.decisionTime(d)));
                counted();
            }
        }
        flush();
    }

    private void counted() {
        if (++pending >= chunk) {
            flush();
        }
    }

    private void flush() {
        if (pending == 0) {
            return;
        }
        sink.accept(new Delta(concepts, links, compoundDeltas, memoryDeltas, decisions));
        concepts.clear();
        links.clear();
        compoundDeltas.clear();
        memoryDeltas.clear();
        decisions.clear();
        pending = 0;
    }

    private ConceptInfo info(final int id) {
        return ConceptInfo.read(graph.arena(), graph.interned(), graph.getLong(id, ConceptLayout.INFO_ADDR));
    }

    private String key(final int id) {
        return info(id).key();
    }
}
