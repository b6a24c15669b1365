package ai.continuum.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.engine.Delta;
import ai.continuum.engine.EngineConfig;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.AfterEach;

/**
 * The storage contract on each backend, with the writer thread running: what is acknowledged is stored, merged and
 * given back, and the continuity chain proves it.
 */
class SqlStorageTest {
    private static final String A = "tenant-a";
    private static final String B = "tenant-b";

    private TestDatabase db;
    private Storage storage;

    /** Opens the storage over {@code database}; the test closes it, or it is closed after the test. */
    private Storage open(final TestDatabase database, final StorageSettings settings) {
        db = database;
        storage = db.open(settings);
        return storage;
    }

    private Storage open(final TestDatabase database) {
        return open(database, StorageSettings.defaults().withLoadChunkRows(3));
    }

    @AfterEach
    void close() {
        if (storage != null) {
            storage.close();
        }
    }

    @OnEachBackend(migrated = true)
    void shouldKeepEveryAcknowledgedOpAcrossCloseAndReopen(final TestDatabase database) {
        final Storage s = open(database);
        final List<Delta> written = new ArrayList<>();
        final List<CompletableFuture<Storage.ContinuityHead>> acks = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            final Delta d =
                    Deltas.turn(i, 1_000L + i, "turn " + i, "Concept" + (i % 7), "Concept" + (i % 11), "Shared Topic");
            written.add(d);
            acks.add(s.submit(new StorageOp.Apply(A, d)));
        }
        acks.forEach(CompletableFuture::join);
        final Storage.ContinuityHead head = s.continuity(A);
        s.close();

        final Storage reopened = open(database);
        assertEquals(Map.of(A, Deltas.normalized(written)), Deltas.loaded(reopened));
        assertEquals(head, reopened.continuity(A));
        assertEquals(200, head.length());
    }

    @OnEachBackend(migrated = true)
    void shouldDoubleCountsButStoreMemoriesOnceWhenTheSameDeltaIsAppliedTwice(final TestDatabase database) {
        final Storage s = open(database);
        final Delta d = Deltas.turn(42, 5_000, "hello", "Alpha", "Beta", "Gamma");
        s.submit(new StorageOp.Apply(A, d)).join();
        s.submit(new StorageOp.Apply(A, d)).join();

        final Delta loaded = Deltas.loaded(s).get(A);
        assertEquals(
                List.of(2, 2, 2),
                loaded.links().stream().map(Delta.LinkDelta::count).toList());
        assertEquals(2, loaded.compounds().getFirst().count());
        assertEquals(1, loaded.memories().size());
        assertEquals(1, loaded.decisions().size());
        assertEquals(3, loaded.concepts().size());
        assertEquals(Deltas.normalized(List.of(d, d)), loaded);
    }

    @OnEachBackend(migrated = true)
    void shouldKeepTheEarliestSightingOfAConceptWhateverTheArrivalOrder(final TestDatabase database) {
        final Storage s = open(database);
        s.submit(apply(A, concept("machine learning", "Machine learning", 2_000)))
                .join();
        s.submit(apply(A, concept("machine learning", "Machine Learning", 1_000)))
                .join();
        s.submit(apply(A, concept("machine learning", "MACHINE LEARNING", 3_000)))
                .join();
        s.submit(apply(A, concept("machine learning", "MACHINE Learning", 1_000)))
                .join();

        final Delta.ConceptDelta stored = Deltas.loaded(s).get(A).concepts().getFirst();
        assertEquals("MACHINE Learning", stored.displayName(), "earliest time wins, then the smaller name");
        assertEquals(1_000, stored.firstSeenMillis());
    }

    @OnEachBackend(migrated = true)
    void shouldKeepTheLatestLastSeenOfALink(final TestDatabase database) {
        final Storage s = open(database);
        s.submit(apply(
                        A,
                        new Delta(
                                List.of(),
                                List.of(new Delta.LinkDelta("b", "a", 2, 9_000)),
                                List.of(),
                                List.of(),
                                List.of())))
                .join();
        s.submit(apply(
                        A,
                        new Delta(
                                List.of(),
                                List.of(new Delta.LinkDelta("a", "b", 3, 4_000)),
                                List.of(),
                                List.of(),
                                List.of())))
                .join();
        assertEquals(
                List.of(new Delta.LinkDelta("a", "b", 5, 9_000)),
                Deltas.loaded(s).get(A).links());
    }

    @OnEachBackend(migrated = true)
    void shouldGiveTheSameContinuityHeadForTheSameOpsAndADifferentOneIfAnyOpDiffers(final TestDatabase database)
            throws SQLException, IOException {
        final List<StorageOp> ops = List.of(
                apply(A, Deltas.turn(1, 10, "one", "Alpha", "Beta")),
                new StorageOp.ForgetMemory(A, 1),
                apply(A, Deltas.turn(2, 20, "two", "Alpha", "Gamma")),
                new StorageOp.PruneLinks(A, 0.05, 30, true),
                new StorageOp.ForgetConcept(A, "gamma"));
        final Storage.ContinuityHead first = replay(database.backend(), ops);
        final Storage.ContinuityHead second = replay(database.backend(), ops);
        assertEquals(first, second);
        assertEquals(5, first.length());

        final List<StorageOp> altered = new ArrayList<>(ops);
        altered.set(2, apply(A, Deltas.turn(2, 20, "two!", "Alpha", "Gamma")));
        assertNotEquals(first.headHex(), replay(database.backend(), altered).headHex());
        final List<StorageOp> reordered = new ArrayList<>(ops);
        reordered.set(0, ops.get(1));
        reordered.set(1, ops.get(0));
        assertNotEquals(first.headHex(), replay(database.backend(), reordered).headHex());
    }

    @OnEachBackend(migrated = true)
    void shouldStartEveryTenantChainFromThePiPhiSeed(final TestDatabase database) {
        final Storage s = open(database);
        final Storage.ContinuityHead empty = s.continuity("nobody");
        assertEquals(0, empty.length());
        assertEquals(ContinuityChain.seedHex(), empty.headHex());
        final StorageOp op = new StorageOp.ForgetMemory("nobody", 3);
        final Storage.ContinuityHead one = s.submit(op).join();
        assertEquals(
                ContinuityChain.hex(ContinuityChain.next(ContinuityChain.seed(), OpCodec.encode(op))), one.headHex());
    }

    @OnEachBackend(migrated = true)
    void shouldKeepTenantsApart(final TestDatabase database) {
        final Storage s = open(database);
        s.submit(apply(A, Deltas.turn(1, 10, "secret of a", "Alpha", "Beta"))).join();
        s.submit(apply(B, Deltas.turn(1, 10, "secret of b", "Alpha", "Zeta"))).join();
        s.submit(new StorageOp.ForgetConcept(B, "alpha")).join();

        final Map<String, Delta> loaded = Deltas.loaded(s);
        assertEquals(
                Deltas.keys(Deltas.turn(1, 10, "", "Alpha", "Beta")),
                Deltas.keys(loaded.get(A)),
                "forgetting in B leaves A alone");
        assertEquals(
                List.of("zeta"),
                loaded.get(B).concepts().stream().map(Delta.ConceptDelta::key).toList());
        assertEquals("secret of a", s.memory(A, 1).orElseThrow().userText());
        assertEquals("secret of b", s.memory(B, 1).orElseThrow().userText());
        assertTrue(s.memory("tenant-c", 1).isEmpty());
        assertEquals(1, s.continuity(A).length());
        assertEquals(2, s.continuity(B).length());
    }

    @OnEachBackend(migrated = true)
    void shouldForgetAMemoryWithItsDecisions(final TestDatabase database) {
        final Storage s = open(database);
        s.submit(apply(A, Deltas.turn(1, 10, "one", "Alpha", "Beta"))).join();
        s.submit(apply(A, Deltas.turn(2, 20, "two", "Alpha", "Beta"))).join();
        s.submit(new StorageOp.ForgetMemory(A, 1)).join();

        final Delta loaded = Deltas.loaded(s).get(A);
        assertEquals(
                List.of(2L),
                loaded.memories().stream().map(Delta.MemoryDelta::id).toList());
        assertEquals(
                List.of(2L),
                loaded.decisions().stream().map(Delta.DecisionDelta::memoryId).toList());
        assertEquals(2, loaded.links().getFirst().count(), "links are history, forgetting a memory keeps them");
    }

    @OnEachBackend(migrated = true)
    void shouldRedactAForgottenMemorysTextFromTheChangeLogAndStillVerify(final TestDatabase database) throws Exception {
        final Storage s = open(database);
        final Delta secret = Deltas.turn(1, 10, "my secret plan", "Alpha", "Beta");
        s.submit(apply(A, secret)).join();
        s.submit(apply(A, secret)).join();
        s.submit(apply(A, Deltas.turn(2, 20, "an ordinary day", "Alpha", "Beta")))
                .join();
        s.submit(new StorageOp.ForgetMemory(A, 1)).join();

        assertEquals(0, changeLogRowsContaining("secret plan"), "the text is gone from every logged op");
        assertEquals(1, changeLogRowsContaining("ordinary day"), "other memories keep theirs");
        final Storage.ContinuityCheck check = s.verifyContinuity(A);
        assertTrue(check.intact(), check::toString);
        assertEquals(2, check.redactedOps());
        assertEquals(s.continuity(A), check.head());
        final Delta.MemoryDelta kept = Deltas.loaded(s).get(A).memories().getFirst();
        assertEquals(2, kept.id());
    }

    private long changeLogRowsContaining(final String text) throws SQLException {
        try (Connection c = db.connect();
                PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM change_log WHERE payload LIKE ?")) {
            ps.setString(1, "%" + text + "%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @OnEachBackend(migrated = true)
    void shouldForgetAConceptWithItsLinksAndPostingsButKeepTheMemories(final TestDatabase database) {
        final Storage s = open(database);
        s.submit(apply(A, Deltas.turn(1, 10, "one", "Alpha", "Beta", "Gamma"))).join();
        s.submit(new StorageOp.ForgetConcept(A, "beta")).join();

        final Delta loaded = Deltas.loaded(s).get(A);
        assertEquals(
                List.of("alpha", "gamma"),
                loaded.concepts().stream().map(Delta.ConceptDelta::key).toList());
        assertEquals(List.of(new Delta.LinkDelta("alpha", "gamma", 1, 10)), loaded.links());
        assertEquals(List.of("alpha", "gamma"), loaded.memories().getFirst().concepts());
        assertEquals(List.of(), loaded.compounds(), "a compound goes with any of its components");
    }

    @OnEachBackend(migrated = true)
    void shouldPruneTheLinksTheEngineFormulaRatesBelowTheThreshold(final TestDatabase database) {
        final Storage s = open(database);
        final Delta links = new Delta(
                List.of(),
                List.of(
                        new Delta.LinkDelta("a", "b", 1, 0),
                        new Delta.LinkDelta("a", "c", 2, 0),
                        new Delta.LinkDelta("b", "c", 3, 0)),
                List.of(),
                List.of(),
                List.of());
        s.submit(apply(A, links)).join();
        // Seed strengths: count 1 -> 0.10, 2 -> 0.25, 3 -> 0.40.
        s.submit(new StorageOp.PruneLinks(A, 0.3, 0, true)).join();
        assertEquals(
                List.of(new Delta.LinkDelta("b", "c", 3, 0)),
                Deltas.loaded(s).get(A).links());
    }

    /** Opens {@code database} with links that lose half their strength a day, and stores {@code links} for tenant A. */
    private void openDecayingWithLinks(final TestDatabase database, final Delta.LinkDelta... links) {
        open(
                database,
                StorageSettings.defaults().withEngine(EngineConfig.defaults().withDecayPerDay(0.5)));
        s().submit(apply(A, new Delta(List.of(), List.of(links), List.of(), List.of(), List.of())))
                .join();
    }

    @OnEachBackend(migrated = true)
    void shouldPruneByDecayedStrengthWhenTimeDecayIsOn(final TestDatabase database) {
        final long day = 86_400_000L;
        openDecayingWithLinks(
                database, new Delta.LinkDelta("a", "b", 3, 10 * day), new Delta.LinkDelta("a", "c", 3, 8 * day));
        // At day 10: a-b is 0.40 (fresh), a-c is 0.40 * 0.5^2 = 0.10.
        s().submit(new StorageOp.PruneLinks(A, 0.2, 10 * day, true)).join();
        assertEquals(
                List.of(new Delta.LinkDelta("a", "b", 3, 10 * day)),
                Deltas.loaded(s()).get(A).links());
    }

    @OnEachBackend(migrated = true)
    void shouldPruneByCountAloneWhenTheOpDoesNotApplyDecay(final TestDatabase database) {
        final long day = 86_400_000L;
        openDecayingWithLinks(
                database, new Delta.LinkDelta("a", "b", 1, 10 * day), new Delta.LinkDelta("a", "c", 3, 0));
        // Undecayed: a-b is 0.10, a-c 0.40 however long ago it was seen (decayed it would be far below 0.2).
        s().submit(new StorageOp.PruneLinks(A, 0.2, 10 * day, false)).join();
        assertEquals(
                List.of(new Delta.LinkDelta("a", "c", 3, 0)),
                Deltas.loaded(s()).get(A).links());
    }

    @OnEachBackend(migrated = true)
    void shouldRoundTripUnicodeAndControlCharactersExactly(final TestDatabase database) {
        final Storage s = open(database);
        final String text = "Zürich · 東京 · emoji 🧠🚀 · RTL שלום · nul-free \t tab \"quote\" \\ backslash \u2028";
        final Delta d = new Delta(
                List.of(
                        new Delta.ConceptDelta("zürich", "Zürich", "concept", "Éxtracted", 1),
                        new Delta.ConceptDelta("東京", "東京", "topic", "", 1),
                        new Delta.ConceptDelta("🧠", "🧠", "concept", "brain", 1)),
                List.of(new Delta.LinkDelta("zürich", "東京", 1, 1), new Delta.LinkDelta("🧠", "zürich", 1, 1)),
                List.of(new Delta.CompoundDelta(List.of("zürich", "東京", "🧠"), 1, 1)),
                List.of(new Delta.MemoryDelta(
                        9, "sess-ü", text, text, "ψ", "{\"k\":\"ß\"}", 1, List.of("zürich", "東京", "🧠"))),
                List.of(new Delta.DecisionDelta(9, 0, text, 1)));
        s.submit(apply(A, d)).join();
        assertEquals(Deltas.normalized(List.of(d)), Deltas.loaded(s).get(A));
        final Storage.StoredMemory m = s.memory(A, 9).orElseThrow();
        assertEquals(text, m.userText());
        assertEquals("{\"k\":\"ß\"}", m.metadataJson());
    }

    @OnEachBackend(migrated = true)
    void shouldVerifyAnIntactChainAndFindATamperedOp(final TestDatabase database) throws Exception {
        final Storage s = open(database);
        for (int i = 1; i <= 5; i++) {
            s.submit(apply(A, Deltas.turn(i, i, "turn " + i, "Alpha", "Beta"))).join();
        }
        final Storage.ContinuityCheck intact = s.verifyContinuity(A);
        assertTrue(intact.intact());
        assertEquals(s.continuity(A), intact.head());

        db.execute("UPDATE change_log SET payload = replace(payload, 'turn 3', 'turn 9') " + "WHERE tenant_id = '" + A
                + "' AND seq = 3");
        final Storage.ContinuityCheck broken = s.verifyContinuity(A);
        assertEquals(3, broken.brokenAtSeq(), broken.problem());
        assertEquals(2, broken.head().length());
    }

    @OnEachBackend(migrated = true)
    void shouldFailOnlyTheOpTheDatabaseRejectsAndCommitTheRestOfItsBatch(final TestDatabase database) throws Exception {
        final SqlStorage manual = database.create(StorageSettings.defaults(), new CachedEpochClock());
        try {
            final CompletableFuture<Storage.ContinuityHead> good =
                    manual.submit(apply(A, Deltas.turn(1, 1, "fine", "Kubernetes", "Helm")));
            // A key that is not a normalised name, next to the key it folds to: the identity index refuses it.
            final CompletableFuture<Storage.ContinuityHead> bad =
                    manual.submit(apply(A, concept("KUBERNETES", "KUBERNETES", 2)));
            final CompletableFuture<Storage.ContinuityHead> alsoGood =
                    manual.submit(apply(A, Deltas.turn(3, 3, "fine too", "Kubernetes", "Argo")));
            assertEquals(3, manual.writer().doWork());

            assertEquals(1, good.get().length());
            final ExecutionException e = assertThrows(ExecutionException.class, bad::get);
            assertInstanceOf(StorageUnavailableException.class, e.getCause());
            assertEquals(2, alsoGood.get().length(), "the rejected op took no place in the chain");
            assertTrue(manual.isReachable(), "a rejected op is not a database outage");
            assertEquals(
                    List.of("argo", "helm", "kubernetes"),
                    Deltas.loaded(manual).get(A).concepts().stream()
                            .map(Delta.ConceptDelta::key)
                            .toList());
            assertTrue(manual.verifyContinuity(A).intact());
        } finally {
            manual.close();
        }
    }

    @OnEachBackend(migrated = true)
    void shouldGiveBackMetadataTextExactlyWhateverItHolds(final TestDatabase database) {
        final Storage s = open(database);
        final List<String> metadata = List.of(
                "",
                "{}",
                "{ \"b\" : 1, \"a\": [1, 2.50], \"a\": 3 }",
                "{\"nul\":\"\\u0000\"}",
                "{\"big\":1e999999}",
                "not json at all",
                "[1,2]");
        final List<Delta.MemoryDelta> memories = new ArrayList<>();
        for (int i = 0; i < metadata.size(); i++) {
            memories.add(new Delta.MemoryDelta(i + 1, "s", "text " + i, "", "", metadata.get(i), i, List.of()));
        }
        s.submit(apply(A, new Delta(List.of(), List.of(), List.of(), memories, List.of())))
                .join();
        for (int i = 0; i < metadata.size(); i++) {
            assertEquals(metadata.get(i), s.memory(A, i + 1).orElseThrow().metadataJson());
        }
        assertEquals(
                metadata,
                Deltas.loaded(s).get(A).memories().stream()
                        .map(Delta.MemoryDelta::metadata)
                        .toList());
    }

    private Storage s() {
        return storage;
    }

    /** Replays {@code ops} into a database of its own. */
    private Storage.ContinuityHead replay(final TestDatabase.Backend backend, final List<StorageOp> ops)
            throws SQLException, IOException {
        try (TestDatabase other = TestDatabase.createMigrated(backend);
                Storage s = other.open(StorageSettings.defaults())) {
            Storage.ContinuityHead last = null;
            for (final StorageOp op : ops) {
                last = s.submit(op).join();
            }
            assertEquals(last, s.continuity(A));
            return last;
        }
    }

    private static StorageOp apply(final String tenant, final Delta d) {
        return new StorageOp.Apply(tenant, d);
    }

    private static Delta concept(final String key, final String name, final long at) {
        return new Delta(
                List.of(new Delta.ConceptDelta(key, name, "concept", "", at)),
                List.of(),
                List.of(),
                List.of(),
                List.of());
    }
}
