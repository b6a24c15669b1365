package ai.continuum.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.continuum.engine.Delta;
import ai.continuum.engine.EngineConfig;
import ai.continuum.engine.MemoryEngine;
import ai.continuum.engine.Turn;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * The contract between engine and storage: an engine rebuilt from what storage loads has exactly the state (the
 * checksum) of the engine whose changes were written, whatever mix of learns, replays, forgets and prunes it saw, on
 * each backend (PostgreSQL's derived JSONB and full-text columns included).
 */
class EngineRebuildTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final long DAY = 86_400_000L;
    private static final List<String> TENANTS = List.of("acme", "globex", "initech");
    private static final String[] VOCABULARY = {
        "Machine Learning", "TensorFlow", "Kubernetes Cluster", "Billing Service", "PostgreSQL", "Migration Runbook",
        "Vector Search", "Zürich Office", "Quarterly Planning", "Incident Review", "Graph Database", "Rate Limiter",
        "Release Train", "Customer Success", "Data Pipeline", "Feature Flags", "Observability Stack", "Jupiter"
    };

    @OnEachBackend
    void shouldRebuildAnEngineWithTheSameChecksumFromStorage(final TestDatabase db) {
        final EngineConfig config = EngineConfig.defaults().withDecayPerDay(0.9);
        final Random random = new Random(42);
        try (MemoryEngine engine = MemoryEngine.create(config, () -> T0 + 30 * DAY)) {
            try (Storage storage = db.open(StorageSettings.defaults().withEngine(config))) {
                final List<CompletableFuture<Storage.ContinuityHead>> acks = new ArrayList<>();
                final List<Delta> learned = new ArrayList<>();
                for (int i = 1; i <= 300; i++) {
                    final String tenant = TENANTS.get(random.nextInt(TENANTS.size()));
                    final Delta d = engine.learn(tenant, turn(random, i)).delta();
                    learned.add(d);
                    acks.add(storage.submit(new StorageOp.Apply(tenant, d)));
                    if (i % 37 == 0) {
                        // A replay (import, retry): counts add again, memories stay single.
                        apply(engine, storage, acks, tenant, learned.get(random.nextInt(learned.size())));
                    }
                    if (i % 41 == 0) {
                        final long victim = 1L + random.nextInt(i);
                        engine.forgetMemory(tenant, victim);
                        acks.add(storage.submit(new StorageOp.ForgetMemory(tenant, victim)));
                        apply(engine, storage, acks, tenant, learned.get((int) victim - 1));
                    }
                    if (i % 53 == 0) {
                        final String name = VOCABULARY[random.nextInt(VOCABULARY.length)];
                        engine.forgetConcept(tenant, name);
                        acks.add(storage.submit(
                                new StorageOp.ForgetConcept(tenant, ai.continuum.engine.ConceptKeys.normalize(name))));
                    }
                    if (i % 97 == 0) {
                        final long now = T0 + i * DAY / 10;
                        engine.pruneWeakLinks(tenant, 0.2, now, true);
                        acks.add(storage.submit(new StorageOp.PruneLinks(tenant, 0.2, now, true)));
                    }
                }
                // A link between keys no concept list mentions: both ends exist as placeholders.
                apply(
                        engine,
                        storage,
                        acks,
                        "acme",
                        new Delta(
                                List.of(),
                                List.of(new Delta.LinkDelta("ghost one", "ghost two", 2, T0)),
                                List.of(),
                                List.of(),
                                List.of()));
                acks.forEach(CompletableFuture::join);
            }

            try (Storage reopened = db.open(StorageSettings.defaults().withEngine(config));
                    MemoryEngine rebuilt = MemoryEngine.create(config, () -> T0 + 30 * DAY)) {
                try (MemoryEngine.BulkLoad bulk = rebuilt.bulkLoad()) {
                    reopened.load(bulk::apply);
                }
                reopened.loadForgottenMemories(rebuilt::forgetMemory);
                assertEquals(engine.tenants(), rebuilt.tenants());
                for (final String tenant : TENANTS) {
                    assertNotEquals(0L, engine.checksum(tenant));
                    assertEquals(engine.checksum(tenant), rebuilt.checksum(tenant), "checksum of " + tenant);
                    assertEquals(engine.stats(tenant), rebuilt.stats(tenant), "stats of " + tenant);
                    assertEquals(
                            reopened.continuity(tenant),
                            reopened.verifyContinuity(tenant).head());
                }
            }
        }
    }

    private static void apply(
            final MemoryEngine engine,
            final Storage storage,
            final List<CompletableFuture<Storage.ContinuityHead>> acks,
            final String tenant,
            final Delta d) {
        engine.apply(tenant, d);
        acks.add(storage.submit(new StorageOp.Apply(tenant, d)));
    }

    private static Turn turn(final Random random, final int i) {
        final StringBuilder user = new StringBuilder("About ");
        final int n = 2 + random.nextInt(4);
        for (int k = 0; k < n; k++) {
            user.append(VOCABULARY[random.nextInt(VOCABULARY.length)]).append(k + 1 < n ? " and " : ".");
        }
        final String ai = "I will look at " + VOCABULARY[random.nextInt(VOCABULARY.length)] + " before Friday.";
        // Metadata as clients send it: absent, or JSON in their own spacing and key order (which JSONB would not
        // give back) and with a NUL escape (which JSONB refuses): the rebuild must give back the very text.
        final String metadata = switch (i % 4) {
            case 0 -> "";
            case 1 -> "{\"i\":" + i + "}";
            case 2 -> "{ \"z\" : [1.50, 2], \"a\":" + i + " }";
            default -> "{\"nul\":\"\\u0000\",\"i\":" + i + "}";
        };
        return new Turn(i, user.toString(), ai, "", "session-" + (i % 5), metadata, T0 + (long) i * DAY / 10);
    }
}
