package ai.continuum.engine.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The word index on its own: words of a key, tenants apart, lists newest first, removal. */
class WordIndexTest {
    private final WordIndex index = new WordIndex(new OffHeapArena(), 4);
    private final WordIndex.Probe probe = index.newProbe();

    private int[] ids(final int tenant, final String word) {
        final int rec = index.find(tenant, word, probe);
        if (rec == IndexHashTable.MISSING) {
            return new int[0];
        }
        final int[] out = new int[index.size(rec)];
        final int n = index.read(rec, out.length, out);
        return java.util.Arrays.copyOf(out, n);
    }

    @Test
    void wordsAreRunsOfLettersOrDigitsOfAtLeastThreeChars() {
        final List<String> words = new ArrayList<>();
        final String text = "a go-to API v2 for Élan_vital 2026!";
        WordIndex.forEachWord(text, (start, end) -> words.add(text.substring(start, end)));
        assertEquals(List.of("API", "for", "Élan", "vital", "2026"), words);
    }

    @Test
    void aKeyIsIndexedUnderEachOfItsWords() {
        index.add(1, "write behind writer", 7);
        assertArrayEquals(new int[] {7}, ids(1, "write"));
        assertArrayEquals(new int[] {7}, ids(1, "behind"));
        assertArrayEquals(new int[] {7}, ids(1, "writer"));
        assertArrayEquals(new int[0], ids(1, "writ"), "no prefix matches");
        assertArrayEquals(new int[0], ids(2, "write"), "another tenant sees nothing");
    }

    @Test
    void shortWordsLiveInTheirRecordAndLongerOnesOfOneByteCharsTakeHalfTheBlock() {
        final OffHeapArena arena = new OffHeapArena();
        final WordIndex words = new WordIndex(arena, 4);
        words.addWord(1, "kadomir", 1); // seven one-byte chars: in the record, with its one id
        words.addWord(1, "Zürich", 2); // ü is below 256: one byte
        assertEquals(0, arena.bytesInUse(), "no block for a short word or a list of one");
        words.addWord(1, "resonance", 3);
        assertEquals(OffHeapArena.blockSize(4 + 9), arena.bytesInUse(), "nine chars: a block, one byte a char");
        words.addWord(1, "Łódź", 4); // Ł is not below 256: two bytes a char
        words.addWord(1, "東京都", 5);
        assertEquals(
                OffHeapArena.blockSize(4 + 9) + OffHeapArena.blockSize(4 + 8) + OffHeapArena.blockSize(4 + 6),
                arena.bytesInUse());
        final WordIndex.Probe p = words.newProbe();
        final String[] stored = {"kadomir", "Zürich", "resonance", "Łódź", "東京都"};
        for (int i = 0; i < stored.length; i++) {
            assertArrayEquals(new int[] {i + 1}, idsIn(words, p, stored[i]), stored[i]);
        }
        for (final String other :
                new String[] {"kadomi", "kadomirs", "Zurich", "resonancf", "Lódź", "Łódz", "東京", "東京都府", "résonance"}) {
            assertEquals(IndexHashTable.MISSING, words.find(1, other, p), other);
        }
        assertEquals(IndexHashTable.MISSING, words.find(2, "kadomir", p), "another tenant's inline word");
    }

    private static int[] idsIn(final WordIndex words, final WordIndex.Probe p, final String word) {
        final int rec = words.find(1, word, p);
        if (rec == IndexHashTable.MISSING) {
            return new int[0];
        }
        final int[] out = new int[words.size(rec)];
        return java.util.Arrays.copyOf(out, words.read(rec, out.length, out));
    }

    @Test
    void listsAreNewestFirstAndFindWorksOnASliceOfText() {
        index.addWord(1, "graph", 1);
        index.addWord(1, "graph", 2);
        index.addWord(1, "graph", 3);
        assertArrayEquals(new int[] {3, 2, 1}, ids(1, "graph"));
        final int rec = index.find(1, "the graph here", 4, 9, probe);
        assertNotEquals(IndexHashTable.MISSING, rec);
        assertEquals(3, index.size(rec));
    }

    @Test
    void addingAWordOnceListsEachIdOnceHoweverOftenItsTermRepeats() {
        final String text = "graph walk graph graph walk";
        for (final int id : new int[] {4, 9}) {
            final int graph = index.addWordOnce(1, text, 0, 5, id);
            final int walk = index.addWordOnce(1, text, 6, 10, id);
            assertEquals(index.find(1, "graph", probe), graph, "a first mention returns the word's record");
            assertEquals(index.find(1, "walk", probe), walk);
            assertEquals(IndexHashTable.MISSING, index.addWordOnce(1, text, 11, 16, id), "a repeat returns none");
            assertEquals(IndexHashTable.MISSING, index.addWordOnce(1, text, 17, 22, id));
            assertEquals(IndexHashTable.MISSING, index.addWordOnce(1, text, 23, 27, id));
        }
        assertArrayEquals(new int[] {9, 4}, ids(1, "graph"));
        assertArrayEquals(new int[] {9, 4}, ids(1, "walk"));
        index.addWordOnce(2, text, 0, 5, 9);
        assertArrayEquals(new int[] {9}, ids(2, "graph"), "another tenant's list is its own");
    }

    @Test
    void removingAKeyRemovesItsIdFromEachWordOnly() {
        index.add(1, "chronicle map", 1);
        index.add(1, "chronicle queue", 2);
        index.remove(1, "chronicle map", 1);
        assertArrayEquals(new int[] {2}, ids(1, "chronicle"));
        assertArrayEquals(new int[0], ids(1, "map"));
        assertArrayEquals(new int[] {2}, ids(1, "queue"));
        index.removeFromList(index.find(1, "queue", probe), 2);
        index.removeFromList(index.find(1, "chronicle", probe), 7); // an id the list does not hold: a no-op
        assertArrayEquals(new int[0], ids(1, "queue"));
        assertArrayEquals(new int[] {2}, ids(1, "chronicle"));
    }

    @Test
    void manyWordsStayFindable() {
        for (int i = 0; i < 3_000; i++) {
            index.addWord(i % 2, "word" + i, i);
        }
        for (int i = 0; i < 3_000; i++) {
            assertArrayEquals(new int[] {i}, ids(i % 2, "word" + i));
            assertArrayEquals(new int[0], ids(1 - i % 2, "word" + i));
        }
    }
}
