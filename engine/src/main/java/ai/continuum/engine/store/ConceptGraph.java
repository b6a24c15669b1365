package ai.continuum.engine.store;

import static ai.continuum.engine.store.AdjacencyLayout.COUNT;
import static ai.continuum.engine.store.AdjacencyLayout.ENTRY_BYTES;
import static ai.continuum.engine.store.AdjacencyLayout.LINK;
import static ai.continuum.engine.store.AdjacencyLayout.NEIGHBOUR;
import static ai.continuum.engine.store.ConceptLayout.ADJ_ADDR;
import static ai.continuum.engine.store.ConceptLayout.ADJ_SIZE;
import static ai.continuum.engine.store.ConceptLayout.TENANT;
import static ai.continuum.engine.store.ConceptLayout.VERSION;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Concepts, links and adjacency of every tenant, off the Java heap, over dense int ids.
 *
 * <p>A concept id indexes a {@link ConceptLayout} record; a link index a {@link LinkLayout} record. Each concept owns
 * an adjacency block of {@link AdjacencyLayout} entries in descending count order, so recall reads the strongest K
 * neighbours as the first K entries, contiguous, with no lookup per neighbour.
 *
 * <p>Thread model: one writer thread at a time calls the mutating methods (the engine serialises writers). Readers
 * call {@link #readNeighbours} and {@link #readIntList} from any thread at any time and never block: every change to
 * a concept's lists happens inside that concept's sequence lock ({@link #beginWrite}/{@link #endWrite}), and readers
 * copy, then validate the version, retrying on a change. Blocks freed by the writer may be reused at once; a reader
 * that copied from a reused block fails validation, because the move bumped the owner's version first.
 */
public final class ConceptGraph {
    /** Entries of a concept's first adjacency block; a full block grows by half, at least 2 ({@link #grow}). */
    private static final int INITIAL_ADJ_ENTRIES = 2;
    /** Largest adjacency block: one arena chunk. A concept never keeps more neighbours than this. */
    public static final int MAX_NEIGHBOURS = OffHeapArena.CHUNK_BYTES / ENTRY_BYTES;

    private final OffHeapArena arena;
    private final RecordStore concepts = new RecordStore(ConceptLayout.RECORD_BYTES, 14);
    private final RecordStore links = new RecordStore(LinkLayout.RECORD_BYTES, 16);
    private final IndexHashTable linkIndex;
    /** Concept types and descriptions, stored once each; info blocks hold their ids. */
    private final InternTable interned;
    /** Writer only: reused by {@link #findLink}. */
    private final PairProbe writerProbe = new PairProbe();
    /** Writer only: the concept whose lists a writer method is changing. */
    private final ConceptRecord concept = new ConceptRecord(concepts);
    /** Writer only: the link a top-level writer method works on. */
    private final LinkRecord link = new LinkRecord(links);
    /** Writer only: links whose adjacency position moves while {@link #link} stays wrapped. */
    private final LinkRecord moved = new LinkRecord(links);

    private long liveLinks;

    public ConceptGraph(final OffHeapArena arena, final int expectedLinks) {
        this.arena = arena;
        this.linkIndex = new IndexHashTable(expectedLinks, this::linkHash);
        this.interned = new InternTable(arena);
    }

    public OffHeapArena arena() {
        return arena;
    }

    /** Interned concept types and descriptions (ConceptLayout's info block). */
    public InternTable interned() {
        return interned;
    }

    public RecordStore concepts() {
        return concepts;
    }

    public RecordStore links() {
        return links;
    }

    /** Writer: a new concept record for {@code tenant} with empty lists. */
    public int addConcept(final int tenant) {
        final int id = concepts.add();
        concept.wrap(id).tenant(tenant);
        return id;
    }

    public int tenantOf(final int id) {
        return concepts.buffer(id).getIntVolatile(concepts.offset(id) + TENANT);
    }

    public long getLong(final int id, final int field) {
        return concepts.buffer(id).getLongVolatile(concepts.offset(id) + field);
    }

    /** Writer: publishes a long field (e.g. the info address) with a release store. */
    public void putLongRelease(final int id, final int field, final long value) {
        concepts.buffer(id).putLongRelease(concepts.offset(id) + field, value);
    }

    // ---------------------------------------------------------------- sequence lock

    /** Writer: opens the concept's sequence lock; pair with {@link #endWrite}. */
    public void beginWrite(final int id) {
        SeqLock.beginWrite(concepts.buffer(id), concepts.offset(id) + VERSION);
    }

    public void endWrite(final int id) {
        SeqLock.endWrite(concepts.buffer(id), concepts.offset(id) + VERSION);
    }

    // ---------------------------------------------------------------- links

    /** Writer: the link joining {@code x} and {@code y}, or {@link IndexHashTable#MISSING}. */
    public int findLink(final int x, final int y) {
        return findLink(x, y, writerProbe);
    }

    /**
     * Writer: adds {@code count} co-occurrences of {@code x} and {@code y} seen last at {@code lastSeenMillis}
     * (kept as the maximum). Creates the link when absent.
     *
     * @param bulk when true, adjacency order is not restored; the caller calls {@link #sortAdjacency} on every concept
     *             touched before readers need the strongest-first order again (used by large applies).
     * @return whether the link was created.
     */
    public boolean addCooccurrence(
            final int x, final int y, final int count, final long lastSeenMillis, final boolean bulk) {
        final int existing = findLink(x, y);
        if (existing != IndexHashTable.MISSING) {
            link.wrap(existing);
            if (lastSeenMillis > link.lastSeen()) {
                link.lastSeenRelease(lastSeenMillis);
            }
            final int a = link.a();
            final int b = link.b();
            final int newCount = saturatingAdd(countAt(a, link.posA()), count);
            setCount(a, link.posA(), newCount, bulk);
            // read after a's promotion, which moves only entries of a's block (and so only posA fields)
            setCount(b, link.posB(), newCount, bulk);
            return false;
        }
        final int a = Math.min(x, y);
        final int b = Math.max(x, y);
        final int created = links.add();
        link.wrap(created).pair(a, b);
        link.lastSeen(lastSeenMillis);
        appendEntry(a, b, created, count, true, bulk);
        appendEntry(b, a, created, count, false, bulk);
        linkIndex.put(pairHash(a, b), created);
        liveLinks++;
        return true;
    }

    /** Writer: removes a link from both adjacency blocks and the index. Its index is never reused. */
    public void removeLink(final int removed) {
        link.wrap(removed);
        final int a = link.a();
        if (a == LinkLayout.DELETED) {
            return;
        }
        final int b = link.b();
        removeEntry(a, link.posA());
        removeEntry(b, link.posB());
        linkIndex.remove(pairHash(a, b), removed);
        link.markDeleted();
        liveLinks--;
    }

    public int linkA(final int link) {
        return linkInt(link, LinkLayout.A);
    }

    public int linkB(final int link) {
        return linkInt(link, LinkLayout.B);
    }

    /** Any thread: when the link was last seen (acquire load: the writer publishes later times with a release). */
    public long linkLastSeen(final int link) {
        return links.buffer(link).getLongAcquire(links.offset(link) + LinkLayout.LAST_SEEN);
    }

    /** Writer: the link's count, read from its entry at endpoint a. */
    public int linkCount(final int link) {
        return countAt(linkInt(link, LinkLayout.A), linkInt(link, LinkLayout.POS_A));
    }

    private int linkInt(final int link, final int field) {
        return links.buffer(link).getInt(links.offset(link) + field);
    }

    /**
     * Returns the direct memory of this structure's own records and hash tables now (the arena it was given is its
     * owner's to release). Only when no thread reads it any more.
     */
    public void release() {
        concepts.release();
        links.release();
        linkIndex.release();
        interned.release();
    }

    public long linkIndexBytes() {
        return linkIndex.reservedBytes();
    }

    public long liveLinks() {
        return liveLinks;
    }

    /** Any thread: the concept's degree, read once (it may change right after). */
    public int degreeAcquire(final int id) {
        return concepts.exists(id) ? concepts.buffer(id).getIntAcquire(concepts.offset(id) + ADJ_SIZE) : 0;
    }

    /** Writer: entries in the concept's adjacency block. */
    public int degree(final int id) {
        return concepts.buffer(id).getInt(concepts.offset(id) + ADJ_SIZE);
    }

    /** Writer: the link index of entry {@code pos} of the concept's adjacency. */
    public int linkAt(final int id, final int pos) {
        return arena.getInt(AdjacencyLayout.entry(adjAddr(id), pos) + LINK);
    }

    /** Writer: concepts, links, the link table and the interned texts into an engine image (blocks: the arena). */
    public void writeTo(final ImageOutput out) {
        concepts.writeTo(out);
        links.writeTo(out);
        linkIndex.writeTo(out);
        interned.writeTo(out);
        out.writeLong(liveLinks);
    }

    /** Writer: restores what {@link #writeTo} wrote into this empty graph. */
    public void readFrom(final ImageInput in) {
        concepts.readFrom(in);
        links.readFrom(in);
        linkIndex.readFrom(in);
        interned.readFrom(in);
        liveLinks = in.readLong();
    }

    // ---------------------------------------------------------------- readers

    /** A reader's reusable key for {@link #findLink(int, int, PairProbe)}; one per thread. */
    public final class PairProbe implements IndexHashTable.Matcher {
        int a;
        int b;

        @Override
        public boolean matches(final int candidate) {
            return linkInt(candidate, LinkLayout.A) == a && linkInt(candidate, LinkLayout.B) == b;
        }
    }

    public PairProbe newPairProbe() {
        return new PairProbe();
    }

    /** Any thread: the link joining {@code x} and {@code y}, or {@link IndexHashTable#MISSING}. */
    public int findLink(final int x, final int y, final PairProbe probe) {
        probe.a = Math.min(x, y);
        probe.b = Math.max(x, y);
        return linkIndex.find(pairHash(probe.a, probe.b), probe);
    }

    /** Any thread: the link's count, read from endpoint a's entry under a's sequence lock; 0 if it was removed. */
    public int readLinkCount(final int link) {
        final UnsafeBuffer lb = links.buffer(link);
        final int lo = links.offset(link);
        final int a = lb.getIntAcquire(lo + LinkLayout.A);
        if (a < 0 || !concepts.exists(a)) {
            return 0;
        }
        final UnsafeBuffer b = concepts.buffer(a);
        final int base = concepts.offset(a);
        while (true) {
            final int version = SeqLock.readBegin(b, base + VERSION);
            final int pos = lb.getInt(lo + LinkLayout.POS_A);
            final int size = b.getInt(base + ADJ_SIZE);
            final long addr = b.getLong(base + ADJ_ADDR);
            int count = 0;
            if (pos >= 0 && pos < size && arena.isValid(addr, AdjacencyLayout.bytes(size))) {
                final long at = AdjacencyLayout.entry(addr, pos);
                count = arena.getInt(at + LINK) == link ? arena.getInt(at + COUNT) : 0;
            }
            if (SeqLock.readValid(b, base + VERSION, version)) {
                return count;
            }
        }
    }

    /**
     * Reader: copies up to {@code max} strongest neighbours of {@code id} into the arrays (neighbour id, link index,
     * count), consistent with one moment of the writer's history.
     *
     * @return entries copied; 0 for a deleted or unknown concept.
     */
    public int readNeighbours(
            final int id, final int max, final int[] neighbours, final int[] linkIds, final int[] counts) {
        if (!concepts.exists(id)) {
            return 0;
        }
        final UnsafeBuffer b = concepts.buffer(id);
        final int base = concepts.offset(id);
        while (true) {
            final int version = SeqLock.readBegin(b, base + VERSION);
            final int size = Math.min(b.getInt(base + ADJ_SIZE), max);
            final long addr = b.getLong(base + ADJ_ADDR);
            int n = 0;
            if (size > 0 && arena.isValid(addr, AdjacencyLayout.bytes(size))) {
                final UnsafeBuffer block = arena.buffer(addr);
                int off = OffHeapArena.offset(addr);
                for (; n < size; n++, off += ENTRY_BYTES) {
                    neighbours[n] = block.getInt(off + NEIGHBOUR);
                    linkIds[n] = block.getInt(off + LINK);
                    counts[n] = block.getInt(off + COUNT);
                }
            }
            if (SeqLock.readValid(b, base + VERSION, version)) {
                return b.getInt(base + TENANT) == ConceptLayout.DELETED ? 0 : n;
            }
        }
    }

    /**
     * Reader: copies up to {@code max} values of an int list of the concept (memory or compound postings), newest
     * first.
     *
     * @param addrField {@link ConceptLayout#MEM_ADDR} or {@link ConceptLayout#CMP_ADDR}.
     */
    public int readIntList(final int id, final int addrField, final int max, final int[] out) {
        return IntLists.readNewest(concepts, arena, id, addrField, max, out);
    }

    public int intListSize(final int id, final int addrField) {
        return IntLists.size(concepts, id, addrField);
    }

    /** Writer. */
    public void appendInt(final int id, final int addrField, final int value) {
        IntLists.append(concepts, arena, id, addrField, value);
    }

    /** Writer. */
    public boolean removeInt(final int id, final int addrField, final int value) {
        return IntLists.remove(concepts, arena, id, addrField, value);
    }

    /** Writer: the i-th value of an int list, oldest first. */
    public int intAt(final int id, final int addrField, final int i) {
        return IntLists.get(concepts, arena, id, addrField, i);
    }

    /** Writer: frees a deleted concept's blocks and marks it deleted. Links must have been removed first. */
    public void markDeleted(final int id) {
        final ConceptRecord c = concept.wrap(id);
        c.beginWrite();
        IntLists.release(c.buffer(), c.base() + ADJ_ADDR, arena, ENTRY_BYTES);
        IntLists.release(c.buffer(), c.base() + ConceptLayout.MEM_ADDR, arena, 4);
        IntLists.release(c.buffer(), c.base() + ConceptLayout.CMP_ADDR, arena, 4);
        c.tenant(ConceptLayout.DELETED);
        c.endWrite();
    }

    // ---------------------------------------------------------------- adjacency internals

    private int countAt(final int id, final int pos) {
        return arena.getInt(AdjacencyLayout.entry(adjAddr(id), pos) + COUNT);
    }

    private long adjAddr(final int id) {
        return concepts.buffer(id).getLong(concepts.offset(id) + ADJ_ADDR);
    }

    /**
     * Appends the entry of a new link to {@code id}'s adjacency and records its position in the link, as posA when
     * {@code id} is the link's endpoint a.
     */
    private void appendEntry(
            final int id,
            final int neighbour,
            final int created,
            final int count,
            final boolean endpointA,
            final boolean bulk) {
        final ConceptRecord c = concept.wrap(id);
        final int size = c.adjSize();
        final int cap = c.adjCap();
        if (size >= MAX_NEIGHBOURS) {
            throw new IllegalStateException("concept id=" + id + " reached the neighbour limit " + MAX_NEIGHBOURS);
        }
        c.beginWrite();
        if (size == cap) {
            final int newCap = cap == 0 ? INITIAL_ADJ_ENTRIES : grow(cap, MAX_NEIGHBOURS);
            final long fresh = arena.allocate(AdjacencyLayout.bytes(newCap));
            final long old = c.adjAddr();
            if (size > 0) {
                arena.copy(old, fresh, AdjacencyLayout.bytes(size));
                arena.free(old, AdjacencyLayout.bytes(cap));
            }
            c.adjAddr(fresh);
            c.adjCap(Math.min(MAX_NEIGHBOURS, OffHeapArena.blockSize(AdjacencyLayout.bytes(newCap)) / ENTRY_BYTES));
        }
        final long addr = c.adjAddr();
        writeEntry(AdjacencyLayout.entry(addr, size), neighbour, created, count);
        if (endpointA) {
            moved.wrap(created).posA(size);
        } else {
            moved.wrap(created).posB(size);
        }
        c.adjSize(size + 1);
        if (!bulk) {
            promote(id, addr, size, count);
        }
        c.endWrite();
    }

    private void writeEntry(final long at, final int neighbour, final int linkIndex, final int count) {
        arena.putInt(at + NEIGHBOUR, neighbour);
        arena.putInt(at + LINK, linkIndex);
        arena.putInt(at + COUNT, count);
    }

    private void setCount(final int id, final int pos, final int newCount, final boolean bulk) {
        final ConceptRecord c = concept.wrap(id);
        final long addr = c.adjAddr();
        c.beginWrite();
        arena.putInt(AdjacencyLayout.entry(addr, pos) + COUNT, newCount);
        if (!bulk) {
            promote(id, addr, pos, newCount);
        }
        c.endWrite();
    }

    /**
     * Moves the entry at {@code pos} of {@code id}'s block at {@code addr}, whose count rose to {@code count}, ahead of
     * every entry with a smaller count. Inside the caller's sequence lock.
     */
    private void promote(final int id, final long addr, final int pos, final int count) {
        int lo = 0;
        int hi = pos;
        while (lo < hi) { // first index in [0, pos) whose count is below `count`
            final int mid = (lo + hi) >>> 1;
            if (arena.getInt(AdjacencyLayout.entry(addr, mid) + COUNT) >= count) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        final int target = lo;
        if (target == pos) {
            return;
        }
        final int targetCount = arena.getInt(AdjacencyLayout.entry(addr, target) + COUNT);
        final int belowCount = pos > 0 ? arena.getInt(AdjacencyLayout.entry(addr, pos - 1) + COUNT) : targetCount;
        if (targetCount == belowCount) {
            swapEntries(id, addr, target, pos); // every entry in [target, pos) has the same count: a swap keeps order
            return;
        }
        final long from = AdjacencyLayout.entry(addr, pos);
        final int neighbour = arena.getInt(from + NEIGHBOUR);
        final int promoted = arena.getInt(from + LINK);
        for (int i = pos; i > target; i--) {
            final long at = AdjacencyLayout.entry(addr, i);
            arena.copy(AdjacencyLayout.entry(addr, i - 1), at, ENTRY_BYTES);
            moved.wrap(arena.getInt(at + LINK)).pos(id, i);
        }
        writeEntry(AdjacencyLayout.entry(addr, target), neighbour, promoted, count);
        moved.wrap(promoted).pos(id, target);
    }

    private void swapEntries(final int id, final long addr, final int i, final int j) {
        final long ai = AdjacencyLayout.entry(addr, i);
        final long aj = AdjacencyLayout.entry(addr, j);
        final int n = arena.getInt(ai + NEIGHBOUR);
        final int l = arena.getInt(ai + LINK);
        final int c = arena.getInt(ai + COUNT);
        arena.copy(aj, ai, ENTRY_BYTES);
        writeEntry(aj, n, l, c);
        moved.wrap(arena.getInt(ai + LINK)).pos(id, i);
        moved.wrap(l).pos(id, j);
    }

    private void removeEntry(final int id, final int pos) {
        final ConceptRecord c = concept.wrap(id);
        final int size = c.adjSize();
        final long addr = c.adjAddr();
        c.beginWrite();
        for (int i = pos; i < size - 1; i++) {
            final long at = AdjacencyLayout.entry(addr, i);
            arena.copy(AdjacencyLayout.entry(addr, i + 1), at, ENTRY_BYTES);
            moved.wrap(arena.getInt(at + LINK)).pos(id, i);
        }
        c.adjSize(size - 1);
        c.endWrite();
    }

    /**
     * Writer: restores strongest-first order of a concept's adjacency after bulk changes. Entries already in place
     * are not rewritten (their links' positions stay valid), and an adjacency already in order is left alone: each
     * rewritten entry costs a visit to its link record, a cache miss in a large graph.
     */
    public void sortAdjacency(final int id, final long[] scratch) {
        final int size = degree(id);
        if (size < 2) {
            return;
        }
        final long addr = adjAddr(id);
        final long[] keys = scratch.length >= size ? scratch : new long[size];
        boolean sorted = true;
        for (int i = 0; i < size; i++) {
            // descending count, then the current position: a total order, so equal inputs sort equally
            keys[i] = ((long) (Integer.MAX_VALUE - arena.getInt(AdjacencyLayout.entry(addr, i) + COUNT)) << 32) | i;
            sorted &= i == 0 || keys[i] > keys[i - 1];
        }
        if (sorted) {
            return;
        }
        java.util.Arrays.sort(keys, 0, size);
        final long copy = arena.allocate(AdjacencyLayout.bytes(size));
        arena.copy(addr, copy, AdjacencyLayout.bytes(size));
        beginWrite(id);
        for (int i = 0; i < size; i++) {
            final int from = (int) keys[i];
            if (from != i) { // position i is written only here, so an entry sorted onto itself is still in place
                final long at = AdjacencyLayout.entry(addr, i);
                arena.copy(AdjacencyLayout.entry(copy, from), at, ENTRY_BYTES);
                moved.wrap(arena.getInt(at + LINK)).pos(id, i);
            }
        }
        endWrite(id);
        arena.free(copy, AdjacencyLayout.bytes(size));
    }

    private static int grow(final int cap, final int limit) {
        return (int) Math.min(limit, cap + Math.max(2, cap >> 1));
    }

    private static int saturatingAdd(final int a, final int b) {
        final long sum = (long) a + b;
        return sum > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) sum;
    }

    private static int pairHash(final int a, final int b) {
        return a * 0x9E3779B1 + b;
    }

    /** Rehash during a resize: plain reads, so a caller's wrapped flyweights are not disturbed. */
    private int linkHash(final int index) {
        return pairHash(linkInt(index, LinkLayout.A), linkInt(index, LinkLayout.B));
    }
}
