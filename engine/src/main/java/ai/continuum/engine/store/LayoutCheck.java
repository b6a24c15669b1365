package ai.continuum.engine.store;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The checks every off-heap layout runs at class initialisation, so that a wrong offset fails the first use of the
 * class (an {@link ExceptionInInitializerError}) instead of corrupting a neighbouring field: every field lies inside
 * the record, is aligned to its own size (so {@code UnsafeBuffer}'s ordered and volatile accesses are atomic), and no
 * two fields overlap; the record size is a positive multiple of its alignment.
 */
public final class LayoutCheck {
    /**
     * Every class that declares an off-heap layout through {@link #check}. A new layout class belongs here, so that
     * {@link #fingerprint} covers it.
     */
    private static final List<Class<?>> LAYOUTS = List.of(
            ConceptLayout.class,
            LinkLayout.class,
            AdjacencyLayout.class,
            InternTable.class,
            WordIndex.class,
            TermIdLists.class,
            MemoryTable.class,
            CompoundTable.class);

    /** One line per layout checked: its name, size and fields, in a canonical order. */
    private static final ConcurrentSkipListSet<String> DESCRIBED = new ConcurrentSkipListSet<>();

    private LayoutCheck() {}

    /**
     * A digest of every off-heap layout (names, sizes, field offsets and widths): two builds whose layouts differ in
     * any field have different fingerprints, so an engine image written by one is never loaded by the other.
     */
    public static long fingerprint() {
        for (final Class<?> layout : LAYOUTS) {
            try {
                Class.forName(layout.getName(), true, layout.getClassLoader());
            } catch (final ClassNotFoundException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        long h = 0xcbf29ce484222325L;
        for (final String line : DESCRIBED) {
            for (int i = 0; i < line.length(); i++) {
                h = (h ^ line.charAt(i)) * 0x100000001b3L;
            }
            h = (h ^ '\n') * 0x100000001b3L;
        }
        return h;
    }

    /** One fixed-size field of a layout: its name, byte offset in the record and size (1, 2, 4 or 8 bytes). */
    record Field(String name, int offset, int bytes) {}

    static Field field(final String name, final int offset, final int bytes) {
        return new Field(name, offset, bytes);
    }

    /**
     * Fails with an {@link IllegalStateException} naming the layout and field when the layout is inconsistent.
     *
     * @param layout      the layout's name, for the message.
     * @param recordBytes the record size; for a variable-size block, its fixed header.
     * @param alignment   what {@code recordBytes} must be a multiple of (8 for records of a {@link RecordStore}).
     */
    static void check(final String layout, final int recordBytes, final int alignment, final Field... fields) {
        if (recordBytes <= 0 || recordBytes % alignment != 0) {
            throw new IllegalStateException(
                    layout + ": size " + recordBytes + " is not a positive multiple of " + alignment);
        }
        final Field[] sorted = fields.clone();
        Arrays.sort(sorted, Comparator.comparingInt(Field::offset));
        int end = 0;
        String previous = "start";
        for (final Field f : sorted) {
            if (f.bytes() != 1 && f.bytes() != 2 && f.bytes() != 4 && f.bytes() != 8) {
                throw new IllegalStateException(
                        layout + "." + f.name() + ": " + f.bytes() + " bytes is not a field size");
            }
            if (f.offset() % f.bytes() != 0) {
                throw new IllegalStateException(
                        layout + "." + f.name() + ": offset " + f.offset() + " is not aligned to " + f.bytes());
            }
            if (f.offset() < end) {
                throw new IllegalStateException(
                        layout + "." + f.name() + " at " + f.offset() + " overlaps " + previous);
            }
            if (f.offset() + f.bytes() > recordBytes) {
                throw new IllegalStateException(layout + "." + f.name() + " ends at " + (f.offset() + f.bytes())
                        + ", past the " + recordBytes + "-byte record");
            }
            end = f.offset() + f.bytes();
            previous = f.name();
        }
        final StringBuilder line = new StringBuilder(layout).append(' ').append(recordBytes);
        for (final Field f : sorted) {
            line.append(' ')
                    .append(f.name())
                    .append('@')
                    .append(f.offset())
                    .append(':')
                    .append(f.bytes());
        }
        DESCRIBED.add(line.toString());
    }
}
