package ai.continuum.engine.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.Random;
import org.agrona.collections.IntArrayList;
import org.junit.jupiter.api.Test;

/** The memory table on its own: ids per tenant, tombstones, session chains, decisions. */
class MemoryTableTest {
    private final OffHeapArena arena = new OffHeapArena();
    private final MemoryTable table = new MemoryTable(arena, 4);

    private static byte[][] strings(final String session, final String user) {
        return new byte[][] {
            TextBlob.utf8(session), TextBlob.utf8(user), TextBlob.utf8("ai"), TextBlob.utf8(""), TextBlob.utf8("{}")
        };
    }

    @Test
    void aStoredMemoryReadsBackWithItsConcepts() {
        final int index = table.add(1, 77L, 1_000L, strings("s", "héllo wörld"), new int[] {5, 9, 0}, 2);
        assertEquals(index, table.find(1, 77L));
        assertEquals(MemoryTable.LIVE, table.state(index));
        assertEquals(1, table.tenant(index));
        assertEquals(77L, table.id(index));
        assertEquals(1_000L, table.timeMillis(index));
        assertEquals(0, table.terms(index));
        table.setTerms(index, 12);
        assertEquals(12, table.terms(index));
        final String[] out = new String[MemoryTable.STRINGS];
        assertArrayEquals(new int[] {5, 9}, table.read(index, out));
        assertArrayEquals(new String[] {"s", "héllo wörld", "ai", "", "{}"}, out);

        final String[] text = new String[MemoryTable.STRINGS];
        assertTrue(table.readText(index, text, new DecodeBuffer(4)), "text alone, through a buffer that must grow");
        assertArrayEquals(out, text);
    }

    @Test
    void chosenTextsDecodeIntoReusedCharactersAsTheyDoIntoStringsAndConceptsReadWithoutThem() {
        final String longAscii = "x".repeat(TextChars.MAX_RETAINED + 10);
        final TextChars user = new TextChars();
        final TextChars ai = new TextChars();
        final TextChars[] texts = new TextChars[MemoryTable.STRINGS];
        texts[MemoryTable.USER_TEXT] = user;
        texts[MemoryTable.AI_TEXT] = ai;
        final DecodeBuffer buffer = new DecodeBuffer(8);
        final IntArrayList conceptIds = new IntArrayList();
        conceptIds.addInt(77); // left over from a memory read before: cleared
        long id = 0;
        // ASCII, two- and four-byte characters, an empty text, one longer than what is kept, then a short one again
        for (final String text : new String[] {"plain words", "héllo wörld", "emoji 😀 ok", "", longAscii, "short"}) {
            final int index = table.add(1, ++id, 0, strings("s", text), new int[] {3, 4}, 2);
            final String[] expected = new String[MemoryTable.STRINGS];
            final int[] ids = table.read(index, expected);
            assertTrue(table.readConcepts(index, conceptIds));
            assertArrayEquals(ids, conceptIds.toIntArray());
            assertTrue(table.readText(index, texts, buffer));
            assertEquals(expected[MemoryTable.USER_TEXT], user.toString());
            assertEquals(expected[MemoryTable.AI_TEXT], ai.toString());
            assertEquals(text.length(), user.length());
            if (!text.isEmpty()) {
                assertEquals(text.charAt(text.length() - 1), user.charAt(user.length() - 1));
            }
        }
        final int forgotten = table.add(1, 999L, 0, strings("s", "gone"), new int[0], 0);
        table.forget(forgotten);
        assertFalse(table.readConcepts(forgotten, conceptIds));
        assertEquals(0, conceptIds.size());
        assertFalse(table.readText(forgotten, texts, buffer));
    }

    @Test
    void equalTextsHaveEqualFingerprints() {
        // Texts drawn from a few words, so that many are equal, of every length around the eight-byte step and the
        // 32 bytes above which only the ends are read (two long texts differ only in their middle), split differently
        // between user and assistant ("ab" + "c" against "a" + "bc"), with sessions and thinking that do not count.
        final Random random = new Random(7);
        final String[] words = {
            "",
            "a",
            "ab",
            "abc",
            "héllo",
            "wörld ",
            "umbrella?",
            "x".repeat(8),
            "y".repeat(15),
            "a long turn whose middle says one thing and ends alike",
            "a long turn whose middle says two thing and ends alike"
        };
        final int[] index = new int[400];
        final String[] user = new String[index.length];
        final String[] ai = new String[index.length];
        for (int i = 0; i < index.length; i++) {
            user[i] = words[random.nextInt(words.length)] + words[random.nextInt(words.length)];
            ai[i] = words[random.nextInt(words.length)];
            final byte[][] strings = {
                TextBlob.utf8("s" + random.nextInt(3)),
                TextBlob.utf8(user[i]),
                TextBlob.utf8(ai[i]),
                TextBlob.utf8("thinking " + i),
                TextBlob.utf8("{}")
            };
            index[i] = table.add(1, i, i, strings, new int[0], 0);
        }
        int same = 0;
        int middleOnly = 0;
        for (int a = 0; a < index.length; a++) {
            for (int b = 0; b < index.length; b++) {
                final boolean sameText = table.sameText(index[a], index[b]);
                final boolean samePrint = table.textFingerprint(index[a]) == table.textFingerprint(index[b]);
                assertTrue(!sameText || samePrint, "equal texts, unequal fingerprints: " + a + " and " + b);
                if (samePrint && !sameText) {
                    // only texts that differ in their middle alone may share a fingerprint
                    assertTrue(sameOrLongAlike(user[a], user[b]) && sameOrLongAlike(ai[a], ai[b]), a + " and " + b);
                    middleOnly++;
                }
                same += a != b && sameText ? 1 : 0;
            }
        }
        assertTrue(same > 100, "the draw gives many equal pairs: " + same);
        assertTrue(middleOnly > 0, "and some that differ only in the middle: " + middleOnly);
        table.forget(index[0]);
        assertEquals(0, table.textFingerprint(index[0]), "a forgotten memory matches nothing");
        assertEquals(0, table.textFingerprint(index.length + 1000), "nor does an index never given");
    }

    private static boolean sameOrLongAlike(final String a, final String b) {
        return a.equals(b) || (a.length() >= 32 && a.length() == b.length());
    }

    /**
     * Term counts are read from a dense column beside the records: across its chunks, exactly above what the column
     * holds (the record's count), for tombstones (0), and after an image restores the table (the column is rebuilt,
     * not stored). The times, read from the records, are checked alongside.
     */
    @Test
    void termCountsReadExactlyAcrossChunksAboveTheColumnsCapAndAfterAnImage() throws IOException {
        final int count = (1 << 14) + 100; // past the first chunk of 2^14 memories
        final int[] expected = new int[count + 1];
        final long[] times = new long[count + 1];
        for (int i = 0; i < count; i++) {
            times[i] = i % 5 == 0 ? -60_000L * i : 1_700_000_000_000L + 1_000L * i; // before 1970 too
            final int index = table.add(1, i + 1L, times[i], strings("s", "text " + i), new int[0], 0);
            assertEquals(0, table.terms(index), "0 until indexed");
            expected[index] = switch (i % 4) {
                case 0 -> i % 1000;
                case 1 -> ShortColumn.MAX - 1;
                case 2 -> ShortColumn.MAX;
                default -> ShortColumn.MAX + i; // above what two bytes hold: the record's count
            };
            table.setTerms(index, expected[index]);
        }
        final int tombstone = table.addTombstone(1, 999_999L);
        for (int index = 0; index < count; index++) {
            assertEquals(expected[index], table.terms(index), "memory " + index);
            assertEquals(times[index], table.timeMillis(index), "memory " + index);
        }
        assertEquals(0, table.terms(tombstone));

        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final ImageOutput out = new ImageOutput(Channels.newChannel(bytes));
        table.writeTo(out);
        out.flush();
        final MemoryTable restored = new MemoryTable(arena, 4);
        restored.readFrom(new ImageInput(Channels.newChannel(new ByteArrayInputStream(bytes.toByteArray()))));
        for (int index = 0; index < count; index++) {
            assertEquals(expected[index], restored.terms(index), "restored memory " + index);
            assertEquals(times[index], restored.timeMillis(index), "restored memory " + index);
        }
        assertEquals(0, restored.terms(tombstone));
        final int added = restored.add(1, 1_000_000L, 42L, strings("s", "after"), new int[0], 0);
        restored.setTerms(added, 7);
        assertEquals(7, restored.terms(added), "a memory added after the restore");
        assertEquals(42L, restored.timeMillis(added));
        assertTrue(restored.reservedBytes() > 0);
        restored.release();
    }

    @Test
    void theSameIdInAnotherTenantIsAnotherMemory() {
        final int a = table.add(1, 5L, 0, strings("s", "a"), new int[0], 0);
        assertEquals(-1, table.find(2, 5L));
        final int b = table.add(2, 5L, 0, strings("s", "b"), new int[0], 0);
        assertEquals(a, table.find(1, 5L));
        assertEquals(b, table.find(2, 5L));
        assertEquals(-1, table.find(1, 6L));
    }

    @Test
    void forgettingKeepsATombstoneAndErasesTheText() {
        final int index = table.add(1, 5L, 0, strings("s", "secret"), new int[] {1}, 1);
        final long inUse = arena.bytesInUse();
        table.forget(index);
        table.forget(index); // twice is harmless
        assertEquals(index, table.find(1, 5L), "the id stays taken");
        assertEquals(MemoryTable.FORGOTTEN, table.state(index));
        assertNull(table.read(index, new String[MemoryTable.STRINGS]));
        assertFalse(table.readText(index, new String[MemoryTable.STRINGS], new DecodeBuffer(64)));
        assertTrue(arena.bytesInUse() < inUse, "the text block went back to the arena");
    }

    @Test
    void aTombstoneForAnUnseenIdIsFoundAndUnreadable() {
        final int index = table.addTombstone(4, 99L);
        assertEquals(index, table.find(4, 99L));
        assertEquals(MemoryTable.FORGOTTEN, table.state(index));
        assertNull(table.read(index, new String[MemoryTable.STRINGS]));
    }

    @Test
    void sessionChainsLinkBothWays() {
        final int first = table.add(1, 1L, 0, strings("s", "1"), new int[0], 0);
        final int second = table.add(1, 2L, 1, strings("s", "2"), new int[0], 0);
        assertEquals(-1, table.previous(first));
        assertEquals(-1, table.next(second));
        table.chain(first, second);
        assertEquals(second, table.next(first));
        assertEquals(first, table.previous(second));
        assertEquals(-1, table.previous(first));
    }

    @Test
    void manyMemoriesStayFindableThroughResizes() {
        for (long id = 0; id < 5_000; id++) {
            table.add((int) (id % 3), id, id, strings("s", "m" + id), new int[0], 0);
        }
        for (long id = 0; id < 5_000; id++) {
            final int index = table.find((int) (id % 3), id);
            assertEquals(id, table.id(index));
            assertEquals((int) (id % 3), table.tenant(index));
            assertEquals(-1, table.find((int) (id % 3) + 1, id), "ids are per tenant");
        }
        assertFalse(table.exists(5_000 + (1 << 14)));
        assertTrue(table.exists(4_999));
    }

    @Test
    void decisionsAreFoundByMemoryAndOrdinalUntilForgotten() {
        final int d0 = table.addDecision(1, 10L, 0, "use PostgreSQL", 500L);
        final int d1 = table.addDecision(1, 10L, 1, "drop Redis", 500L);
        assertEquals(d0, table.findDecision(1, 10L, 0));
        assertEquals(d1, table.findDecision(1, 10L, 1));
        assertEquals(-1, table.findDecision(2, 10L, 0));
        assertEquals("drop Redis", table.decisionText(d1));
        assertEquals(10L, table.decisionMemoryId(d1));
        assertEquals(1, table.decisionOrdinal(d1));
        assertEquals(500L, table.decisionTime(d1));
        table.forgetDecision(d0);
        table.forgetDecision(d0);
        assertFalse(table.decisionLive(d0));
        assertTrue(table.decisionLive(d1));
        assertEquals(-1, table.findDecision(1, 10L, 0));
        assertEquals(d1, table.findDecision(1, 10L, 1));
    }
}
