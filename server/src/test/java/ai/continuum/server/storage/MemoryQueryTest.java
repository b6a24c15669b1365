package ai.continuum.server.storage;

import ai.continuum.engine.Delta;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Listing and searching memories: newest first, paged, filtered, one tenant only. */
class MemoryQueryTest {
    private static final String A = "tenant-a";
    private static final String B = "tenant-b";

    @TempDir
    static Path dir;

    private static Storage storage;

    @BeforeAll
    static void fill() {
        storage = SqliteStorage.open(dir, StorageSettings.defaults());
        memory(A, 1, 1_000, "s1", "We discussed Machine Learning", "Sure.");
        memory(A, 2, 2_000, "s1", "50% of the budget_total", "Noted: 50%.");
        memory(A, 3, 3_000, "s2", "Grüße aus ZÜRICH", "Danke");
        memory(A, 4, 4_000, "s2", "robert'); DROP TABLE messages;--", "Little Bobby Tables");
        memory(A, 5, 5_000, "s2", "machine learning again", "and deep LEARNING");
        memory(B, 1, 1_500, "s1", "tenant b talks about machine learning too", "yes");
    }

    @AfterAll
    static void close() {
        storage.close();
    }

    @Test
    void shouldListNewestFirstWithPagingAndTotal() {
        final Storage.Page<Storage.StoredMemory> first = query(null, null, null, null, 0, 2);
        assertEquals(5, first.total());
        assertEquals(List.of(5L, 4L), ids(first));
        assertEquals(List.of(3L, 2L), ids(query(null, null, null, null, 2, 2)));
        assertEquals(List.of(1L), ids(query(null, null, null, null, 4, 2)));
        assertEquals(List.of(), ids(query(null, null, null, null, 10, 2)));
    }

    @Test
    void shouldMatchTextCaseInsensitivelyAcrossUserAndAssistantText() {
        assertEquals(List.of(5L, 1L), ids(query("MACHINE learning", null, null, null, 0, 10)));
        assertEquals(List.of(5L), ids(query("deep", null, null, null, 0, 10)), "assistant text is searched too");
        assertEquals(List.of(3L), ids(query("zürich", null, null, null, 0, 10)), "case folding is Unicode-aware");
    }

    @Test
    void shouldTreatWildcardsAndSqlInTheFilterAsPlainText() {
        assertEquals(List.of(2L), ids(query("50%", null, null, null, 0, 10)));
        assertEquals(List.of(2L), ids(query("budget_total", null, null, null, 0, 10)));
        assertEquals(List.of(), ids(query("budget_xotal", null, null, null, 0, 10)), "_ is not a wildcard");
        assertEquals(List.of(2L), ids(query("%", null, null, null, 0, 10)), "% matches only a literal percent sign");
        assertEquals(List.of(4L), ids(query("'); DROP TABLE messages;--", null, null, null, 0, 10)));
        assertEquals(List.of(), ids(query("' OR '1'='1", null, null, null, 0, 10)));
        assertEquals(5, query(null, null, null, null, 0, 10).total(), "the table is still there");
    }

    @Test
    void shouldFilterBySessionAndTimeRange() {
        assertEquals(List.of(2L, 1L), ids(query(null, "s1", null, null, 0, 10)));
        assertEquals(List.of(4L, 3L, 2L), ids(query(null, null, 2_000L, 5_000L, 0, 10)),
            "from inclusive, to exclusive");
        assertEquals(List.of(5L), ids(query("learning", "s2", 4_000L, null, 0, 10)));
    }

    @Test
    void shouldNeverReturnAnotherTenantsMemories() {
        final Storage.Page<Storage.StoredMemory> b = storage.memories(B,
            new Storage.MemoryQuery("machine", null, null, null, 0, 10));
        assertEquals(1, b.total());
        assertEquals("tenant b talks about machine learning too", b.items().getFirst().userText());
        assertEquals(0, storage.memories("tenant-c", new Storage.MemoryQuery(null, null, null, null, 0, 10)).total());
        assertTrue(storage.memory(B, 5).isEmpty());
    }

    @Test
    void shouldReturnOneMemoryWithItsFields() {
        final Storage.StoredMemory m = storage.memory(A, 3).orElseThrow();
        assertEquals(new Storage.StoredMemory(3, "s2", "Grüße aus ZÜRICH", "Danke", "", "{}", 3_000, List.of("x")),
            m);
    }

    @Test
    void shouldRejectBadPaging() {
        assertThrows(IllegalArgumentException.class, () -> query(null, null, null, null, -1, 10));
        assertThrows(IllegalArgumentException.class, () -> query(null, null, null, null, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> query(null, null, null, null, 0, 1_001));
    }

    private static Storage.Page<Storage.StoredMemory> query(
        final String text, final String session, final Long from, final Long to, final int offset, final int limit) {
        return storage.memories(A, new Storage.MemoryQuery(text, session, from, to, offset, limit));
    }

    private static List<Long> ids(final Storage.Page<Storage.StoredMemory> page) {
        return page.items().stream().map(Storage.StoredMemory::id).toList();
    }

    private static void memory(
        final String tenant, final long id, final long at, final String session, final String user, final String ai) {
        storage.submit(new StorageOp.Apply(tenant, new Delta(List.of(), List.of(), List.of(),
            List.of(new Delta.MemoryDelta(id, session, user, ai, "", "{}", at, List.of("x"))), List.of()))).join();
    }
}
