package ai.continuum.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class InternTableTest {
    @Test
    void shouldStoreEachDistinctStringOnceAndReadItBack() {
        final InternTable table = new InternTable(new OffHeapArena());
        final int concept = table.intern("concept");
        final int user = table.intern("Extracted from user");
        assertNotEquals(concept, user);
        assertEquals(concept, table.intern("concept"));
        assertEquals(user, table.intern(new String("Extracted from user".toCharArray())));
        assertEquals(2, table.size());
        assertEquals("concept", table.text(concept));
        assertEquals("Extracted from user", table.text(user));
    }

    @Test
    void shouldKeepStringsApartThatShareLengthOrPrefixAndSurviveResizes() {
        final InternTable table = new InternTable(new OffHeapArena());
        final int empty = table.intern("");
        final int[] ids = new int[1_000];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = table.intern("type " + i + " \u00e9\u4e2d");
        }
        for (int i = 0; i < ids.length; i++) {
            assertEquals(ids[i], table.intern("type " + i + " \u00e9\u4e2d"));
            assertEquals("type " + i + " \u00e9\u4e2d", table.text(ids[i]));
        }
        assertEquals("", table.text(empty));
        assertEquals(1_001, table.size());
    }
}
