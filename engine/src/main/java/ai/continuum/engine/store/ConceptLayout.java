package ai.continuum.engine.store;

/**
 * Layout of a concept record in a {@link RecordStore} (64 bytes, indexed by concept id) and of its info block in the
 * {@link OffHeapArena}.
 *
 * <pre>
 *  concept record
 *   0  int   version      sequence lock: odd while the writer changes this record or its lists
 *   4  int   tenant       tenant id, or DELETED
 *   8  long  adjAddr      arena block of adjacency entries (AdjacencyLayout), strongest first
 *  16  int   adjSize      entries in use
 *  20  int   adjCap       entries the block holds
 *  24  long  memAddr      arena block of memory indexes (int) mentioning this concept, oldest first
 *  32  int   memSize
 *  36  int   memCap
 *  40  long  cmpAddr      arena block of compound indexes (int) containing this concept
 *  48  int   cmpSize
 *  52  int   cmpCap
 *  56  long  infoAddr     arena block: the info layout below; replaced (never edited) when an earlier sighting arrives
 *
 *  info block
 *   0  long  firstSeenMillis
 *   8  int   keyBytes     UTF-8 length of the normalised key
 *  12  int   nameBytes    display name
 *  16  int   typeBytes
 *  20  int   descBytes
 *  24  ...   key, name, type, description, UTF-8, back to back
 * </pre>
 *
 * Lists of the record are read under the sequence lock: read {@code version} (acquire; retry while odd), copy, then
 * re-read it and retry if it changed. Only the writer writes.
 */
public final class ConceptLayout {
    public static final int RECORD_BYTES = 64;
    public static final int VERSION = 0;
    public static final int TENANT = 4;
    public static final int ADJ_ADDR = 8;
    public static final int ADJ_SIZE = 16;
    public static final int ADJ_CAP = 20;
    public static final int MEM_ADDR = 24;
    public static final int MEM_SIZE = 32;
    public static final int MEM_CAP = 36;
    public static final int CMP_ADDR = 40;
    public static final int CMP_SIZE = 48;
    public static final int CMP_CAP = 52;
    public static final int INFO_ADDR = 56;

    /** {@code tenant} of a forgotten concept; its id is never reused. */
    public static final int DELETED = -1;

    public static final int INFO_FIRST_SEEN = 0;
    public static final int INFO_KEY_BYTES = 8;
    public static final int INFO_NAME_BYTES = 12;
    public static final int INFO_TYPE_BYTES = 16;
    public static final int INFO_DESC_BYTES = 20;
    public static final int INFO_HEADER_BYTES = 24;

    private ConceptLayout() {
    }
}
