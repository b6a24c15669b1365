package ai.continuum.server.storage;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.engine.Delta;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Listing and searching memories on each backend: newest first, paged, filtered, one tenant only. A text filter is a
 * substring on SQLite and a word prefix on PostgreSQL ({@link MemoryFilter}); where the two differ, each test says
 * what each backend answers.
 */
class MemoryQueryTest {
    private static final String A = "tenant-a";
    private static final String B = "tenant-b";

    /**
     * Per backend, the store every test of the class searches, filled once when its first test runs (every test only
     * reads it), and closed after the last. A database the next test finds changed fails that test's totals.
     */
    private static final Map<TestDatabase.Backend, Filled> FILLED = new EnumMap<>(TestDatabase.Backend.class);

    private record Filled(TestDatabase db, Storage storage) {}

    private TestDatabase db;
    private Storage storage;

    /** The filled store of {@code backend}: the memories every test searches. */
    private void fill(final TestDatabase.Backend backend) {
        final Filled filled = FILLED.get(backend);
        if (filled != null) {
            db = filled.db();
            storage = filled.storage();
            return;
        }
        db = TestDatabase.createMigrated(backend);
        storage = db.open(StorageSettings.defaults());
        FILLED.put(backend, new Filled(db, storage));
        memory(A, 1, 1_000, "s1", "We discussed Machine Learning", "Sure.");
        memory(A, 2, 2_000, "s1", "50% of the budget_total", "Noted: 50%.");
        memory(A, 3, 3_000, "s2", "Grüße aus ZÜRICH", "Danke");
        memory(A, 4, 4_000, "s2", "robert'); DROP TABLE messages;--", "Little Bobby Tables");
        memory(A, 5, 5_000, "s2", "machine learning again", "and deep LEARNING");
        memory(A, 6, 6_000, "s3", "We run Kubernetes in production", "東京タワー has a cluster too");
        memory(A, 7, 7_000, "s3", "path c:\\temp\\file and \"quoted\" it's fine", "a|b & !c (d) e:* 🚀");
        memory(B, 1, 1_500, "s1", "tenant b talks about machine learning too", "yes");
    }

    @AfterAll
    static void close() throws Exception {
        for (final Filled filled : FILLED.values()) {
            filled.storage().close();
            filled.db().close();
        }
        FILLED.clear();
    }

    private boolean postgres() {
        return db.postgres();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDatabase.Backend.class)
    void shouldListNewestFirstWithPagingAndTotal(final TestDatabase.Backend backend) {
        fill(backend);
        final Storage.Page<Storage.StoredMemory> first = query(null, null, null, null, 0, 2);
        assertEquals(7, first.total());
        assertEquals(List.of(7L, 6L), ids(first));
        assertEquals(List.of(5L, 4L), ids(query(null, null, null, null, 2, 2)));
        assertEquals(List.of(1L), ids(query(null, null, null, null, 6, 2)));
        assertEquals(List.of(), ids(query(null, null, null, null, 10, 2)));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDatabase.Backend.class)
    void shouldMatchTextCaseInsensitivelyAcrossUserAndAssistantText(final TestDatabase.Backend backend) {
        fill(backend);
        assertEquals(List.of(5L, 1L), ids(text("MACHINE learning")));
        assertEquals(List.of(5L), ids(text("deep")), "assistant text is searched too");
        assertEquals(List.of(3L), ids(text("zürich")), "case folding is Unicode-aware");
        assertEquals(List.of(3L), ids(text("GRÜßE")));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDatabase.Backend.class)
    void shouldMatchTheStartOfAWordOnBothBackends(final TestDatabase.Backend backend) {
        fill(backend);
        assertEquals(List.of(6L), ids(text("kube")));
        assertEquals(List.of(5L, 1L), ids(text("mach LEARN")));
        assertEquals(List.of(6L), ids(text("東京")), "a word of another script");
        assertEquals(2, text("machine learning").total());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDatabase.Backend.class)
    void shouldMatchInsideAWordOnSqliteOnly(final TestDatabase.Backend backend) {
        fill(backend);
        assertEquals(postgres() ? List.of() : List.of(6L), ids(text("ubernete")));
        assertEquals(postgres() ? List.of() : List.of(1L), ids(text("cussed")));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDatabase.Backend.class)
    void shouldTreatWildcardsOperatorsAndSqlInTheFilterAsPlainText(final TestDatabase.Backend backend) {
        fill(backend);
        assertEquals(List.of(2L), ids(text("50%")));
        assertEquals(List.of(2L), ids(text("budget_total")));
        assertEquals(List.of(), ids(text("budget_xotal")), "_ is not a wildcard");
        assertEquals(
                postgres() ? List.of() : List.of(2L),
                ids(text("%")),
                "% matches only a literal percent sign (SQLite), or nothing: it is no word (PostgreSQL)");
        assertEquals(List.of(4L), ids(text("'); DROP TABLE messages;--")));
        assertEquals(List.of(), ids(text("' OR '1'='1")));
        assertEquals(List.of(7L), ids(text("\"quoted\" it's")));
        assertEquals(List.of(7L), ids(text("c:\\temp\\file")));
        assertEquals(List.of(7L), ids(text("a|b")));
        assertEquals(List.of(7L), ids(text("e:*")), "the text e:* (SQLite), the word prefix e (PostgreSQL)");
        assertEquals(7, query(null, null, null, null, 0, 10).total(), "the table is still there");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDatabase.Backend.class)
    void shouldAnswerEveryHostileFilterWithoutFailing(final TestDatabase.Backend backend) {
        fill(backend);
        final List<String> hostile = new ArrayList<>(List.of(
                "'",
                "''",
                "\"",
                "\\",
                "\\\\",
                "&",
                "|",
                "!",
                ":*",
                "()",
                "(",
                ")",
                "<->",
                "<1>",
                "a:*",
                "!a",
                "a & b",
                "a | !b",
                "'a':*",
                "\\'",
                "'\\",
                "x' & 'y",
                "%_\\",
                "🚀",
                "東京 タワー",
                "nul\u0000byte",
                "\u0000",
                "lone \ud800 surrogate",
                "ﬀ İ ǅ ς",
                "1e400",
                "-1",
                "'); DROP TABLE messages;--",
                "'; SELECT pg_sleep(10); --",
                "$$",
                "$1",
                "?",
                "??"));
        hostile.add("w".repeat(5_000));
        hostile.add("a b c d e f g h i j k l m n o p");
        for (final String filter : hostile) {
            final Storage.Page<Storage.StoredMemory> page = assertDoesNotThrow(() -> text(filter), filter);
            assertEquals(page.items().size(), page.total(), filter);
        }
        assertEquals(7, query(null, null, null, null, 0, 10).total());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDatabase.Backend.class)
    void shouldRejectMoreWordsThanAllowed(final TestDatabase.Backend backend) {
        fill(backend);
        final IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> text("a b c d e f g h i j k l m n o p q"));
        assertTrue(e.getMessage().contains("17 words"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDatabase.Backend.class)
    void shouldFilterBySessionAndTimeRange(final TestDatabase.Backend backend) {
        fill(backend);
        assertEquals(List.of(2L, 1L), ids(query(null, "s1", null, null, 0, 10)));
        assertEquals(
                List.of(4L, 3L, 2L), ids(query(null, null, 2_000L, 5_000L, 0, 10)), "from inclusive, to exclusive");
        assertEquals(List.of(5L), ids(query("learning", "s2", 4_000L, null, 0, 10)));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDatabase.Backend.class)
    void shouldNeverReturnAnotherTenantsMemories(final TestDatabase.Backend backend) {
        fill(backend);
        final Storage.Page<Storage.StoredMemory> b =
                storage.memories(B, new Storage.MemoryQuery("machine", null, null, null, 0, 10));
        assertEquals(1, b.total());
        assertEquals(
                "tenant b talks about machine learning too",
                b.items().getFirst().userText());
        assertEquals(
                0,
                storage.memories("tenant-c", new Storage.MemoryQuery(null, null, null, null, 0, 10))
                        .total());
        assertTrue(storage.memory(B, 5).isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDatabase.Backend.class)
    void shouldReturnOneMemoryWithItsFields(final TestDatabase.Backend backend) {
        fill(backend);
        final Storage.StoredMemory m = storage.memory(A, 3).orElseThrow();
        assertEquals(new Storage.StoredMemory(3, "s2", "Grüße aus ZÜRICH", "Danke", "", "{}", 3_000, List.of("x")), m);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDatabase.Backend.class)
    void shouldRejectBadPaging(final TestDatabase.Backend backend) {
        fill(backend);
        assertThrows(IllegalArgumentException.class, () -> query(null, null, null, null, -1, 10));
        assertThrows(IllegalArgumentException.class, () -> query(null, null, null, null, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> query(null, null, null, null, 0, 1_001));
    }

    private Storage.Page<Storage.StoredMemory> text(final String filter) {
        return query(filter, null, null, null, 0, 10);
    }

    private Storage.Page<Storage.StoredMemory> query(
            final String text,
            final String session,
            final Long from,
            final Long to,
            final int offset,
            final int limit) {
        return storage.memories(A, new Storage.MemoryQuery(text, session, from, to, offset, limit));
    }

    private void memory(
            final String tenant,
            final long id,
            final long at,
            final String session,
            final String user,
            final String ai) {
        storage.submit(new StorageOp.Apply(
                        tenant,
                        new Delta(
                                List.of(),
                                List.of(),
                                List.of(),
                                List.of(new Delta.MemoryDelta(id, session, user, ai, "", "{}", at, List.of("x"))),
                                List.of())))
                .join();
    }

    private static List<Long> ids(final Storage.Page<Storage.StoredMemory> page) {
        return page.items().stream().map(Storage.StoredMemory::id).toList();
    }
}
