package ai.continuum.engine.store;

import static ai.continuum.engine.store.LayoutCheck.field;

/**
 * Layout of a concept record in a {@link RecordStore} (64 bytes, indexed by concept id) and of its info block in the
 * {@link OffHeapArena}. {@link ConceptRecord} is the writer's flyweight over the record.
 *
 * <pre>
 *  concept record
 *   0  int   version      sequence lock: odd while the writer changes this record or its lists
 *   4  int   tenant       tenant id, or DELETED
 *   8  long  adjAddr      list header: arena block of adjacency entries (AdjacencyLayout), strongest first
 *  16  int   adjSize        entries in use
 *  20  int   adjCap         entries the block holds
 *  24  long  memAddr      list header: arena block of memory indexes (int) mentioning this concept, oldest first
 *  32  int   memSize
 *  36  int   memCap
 *  40  long  cmpAddr      list header: arena block of compound indexes (int) containing this concept
 *  48  int   cmpSize
 *  52  int   cmpCap
 *  56  long  infoAddr     arena block: the info layout below; replaced (never edited) when an earlier sighting arrives
 *
 *  info block (a header, then the UTF-8 text)
 *   0  long  firstSeenMillis
 *   8  int   typeId       the type, interned ({@link InternTable}): types repeat across almost every concept
 *  12  int   descId       the description, interned: in practice one of a few sources ("user", "assistant", ...)
 *  16  int   nameBytes    UTF-8 length of the display name
 *  20  int   keyBytes     UTF-8 length of the key, or KEY_DERIVED: the key is the normalised display name (the
 *                         rule every learned and imported concept follows) and is not stored twice
 *  24  ...   display name, then the key unless derived, UTF-8, back to back
 * </pre>
 *
 * A list header is {@code long addr, int size, int cap} at {@code addrField}, {@link #listSize} and {@link #listCap}.
 * Lists of the record are read under the sequence lock: read {@code version} (acquire; retry while odd), copy, then
 * re-read it and retry if it changed. Only the writer writes.
 */
public final class ConceptLayout {
    public static final int RECORD_BYTES = 64;
    public static final int VERSION = 0;
    public static final int TENANT = 4;
    public static final int ADJ_ADDR = 8;
    public static final int ADJ_SIZE = listSize(ADJ_ADDR);
    public static final int ADJ_CAP = listCap(ADJ_ADDR);
    public static final int MEM_ADDR = 24;
    public static final int MEM_SIZE = listSize(MEM_ADDR);
    public static final int MEM_CAP = listCap(MEM_ADDR);
    public static final int CMP_ADDR = 40;
    public static final int CMP_SIZE = listSize(CMP_ADDR);
    public static final int CMP_CAP = listCap(CMP_ADDR);
    public static final int INFO_ADDR = 56;

    /** {@code tenant} of a forgotten concept; its id is never reused. */
    public static final int DELETED = -1;

    public static final int INFO_FIRST_SEEN = 0;
    public static final int INFO_TYPE_ID = 8;
    public static final int INFO_DESC_ID = 12;
    public static final int INFO_NAME_BYTES = 16;
    public static final int INFO_KEY_BYTES = 20;
    public static final int INFO_HEADER_BYTES = 24;
    /** {@code keyBytes} of a concept whose key is its normalised display name. */
    public static final int KEY_DERIVED = -1;

    static {
        LayoutCheck.check(
                "concept record",
                RECORD_BYTES,
                8,
                field("version", VERSION, 4),
                field("tenant", TENANT, 4),
                field("adjAddr", ADJ_ADDR, 8),
                field("adjSize", ADJ_SIZE, 4),
                field("adjCap", ADJ_CAP, 4),
                field("memAddr", MEM_ADDR, 8),
                field("memSize", MEM_SIZE, 4),
                field("memCap", MEM_CAP, 4),
                field("cmpAddr", CMP_ADDR, 8),
                field("cmpSize", CMP_SIZE, 4),
                field("cmpCap", CMP_CAP, 4),
                field("infoAddr", INFO_ADDR, 8));
        LayoutCheck.check(
                "concept info header",
                INFO_HEADER_BYTES,
                8,
                field("firstSeenMillis", INFO_FIRST_SEEN, 8),
                field("typeId", INFO_TYPE_ID, 4),
                field("descId", INFO_DESC_ID, 4),
                field("nameBytes", INFO_NAME_BYTES, 4),
                field("keyBytes", INFO_KEY_BYTES, 4));
    }

    private ConceptLayout() {}

    /** Offset of the size of the list whose header starts at {@code addrField}. */
    public static int listSize(final int addrField) {
        return addrField + 8;
    }

    /** Offset of the capacity of the list whose header starts at {@code addrField}. */
    public static int listCap(final int addrField) {
        return addrField + 12;
    }

    /** Bytes of an info block holding a display name and, unless derived ({@code keyBytes < 0}), a key. */
    public static int infoBytes(final int nameBytes, final int keyBytes) {
        return INFO_HEADER_BYTES + nameBytes + Math.max(0, keyBytes);
    }
}
