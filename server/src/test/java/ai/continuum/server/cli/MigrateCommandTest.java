package ai.continuum.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.server.embed.Continuum;
import ai.continuum.server.storage.ApiKeys;
import ai.continuum.server.storage.PostgresSchema;
import ai.continuum.server.storage.PostgresStorage;
import ai.continuum.server.storage.SqliteStorage;
import ai.continuum.server.storage.Storage;
import ai.continuum.server.storage.StorageOp;
import ai.continuum.server.storage.StorageSettings;
import ai.continuum.server.transfer.DataTransfer;
import ai.continuum.server.transfer.TransferProgress;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code continuum migrate} between a SQLite data directory and a private PostgreSQL schema, both ways. */
class MigrateCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TENANTS = List.of("alpha", "beta", "gamma");

    /** The seeded source, built once: each test works on a copy of it, so no test sees another's writes. */
    @TempDir
    static Path seeded;

    private static Path template;
    private static String keyId;

    @TempDir
    Path dir;

    private PostgresSchema schema;
    private Path source;

    @BeforeAll
    static void seedOnce() throws Exception {
        template = seeded.resolve("source");
        final long alpha1 = learn(
                template,
                "alpha",
                "My sister Ingrid Larsen moved to Copenhagen",
                "Copenhagen is lovely in spring; Ingrid Larsen will enjoy the Nyhavn harbour.");
        learn(
                template,
                "alpha",
                "Ingrid Larsen works at the Carlsberg Laboratory",
                "The Carlsberg Laboratory studies yeast.");
        learn(
                template,
                "alpha",
                "We decided to visit Copenhagen in May",
                "I will book the May trip to Copenhagen tonight.");
        learn(template, "beta", "Orbital Mechanics explains Hohmann Transfers", "Hohmann Transfers save fuel.");
        learn(
                template,
                "beta",
                "Kerbal Space Program teaches Orbital Mechanics",
                "Kerbal Space Program is a good start.");
        final long gamma1 = learn(template, "gamma", "Sourdough Bread needs a Levain", "Feed the Levain daily.");
        try (Storage storage = SqliteStorage.open(template, StorageSettings.defaults())) {
            storage.submit(new StorageOp.ForgetMemory("alpha", alpha1)).join();
            storage.submit(new StorageOp.ForgetMemory("gamma", gamma1)).join();
        }
        final CliRun key = CliRun.of("keys", "create", "--data-dir", template.toString(), "--tenant", "alpha");
        assertEquals(0, key.code(), key.all());
        keyId = key.out().strip().substring(3, 19);
    }

    @BeforeEach
    void copySeed() throws Exception {
        schema = PostgresSchema.create();
        source = dir.resolve("source");
        try (Stream<Path> files = Files.walk(template)) {
            for (final Path from : (Iterable<Path>) files::iterator) {
                Files.copy(from, source.resolve(template.relativize(from).toString()));
            }
        }
    }

    @AfterEach
    void dropSchema() throws SQLException {
        if (schema != null) {
            schema.close();
        }
    }

    @Test
    void shouldCopyEveryTenantIntoPostgresqlAndVerifyIt() throws Exception {
        final CliRun migrated = migrate("sqlite:" + source, postgresqlUrl());
        assertEquals(0, migrated.code(), migrated.all());
        for (final String tenant : TENANTS) {
            assertTrue(
                    migrated.out()
                            .lines()
                            .anyMatch(l -> l.startsWith(tenant + " ") && l.contains(" copied ") && l.endsWith(" ok")),
                    migrated.all());
        }
        assertTrue(
                migrated.out().contains("3 tenant(s): 3 copied, 0 unchanged since an earlier run, 3 verified"),
                migrated.all());
        assertTrue(migrated.out().contains("API keys: 1 copied"), migrated.all());

        final JsonNode exported = export(this::openSource);
        assertEquals(exported, export(this::openTarget), "the target's export equals the source's");
        final JsonNode alpha = exported.get("tenants").get(0);
        assertEquals("alpha", alpha.get("tenant").asText());
        assertEquals(2, alpha.get("memories").size());
        assertEquals(1, alpha.get("forgotten_memories").size());
        assertTrue(alpha.get("links").size() > 0 && alpha.get("decisions").size() > 0, alpha.toString());
        final String sha = alpha.get("summary").get("sha256").asText().substring(0, 12);
        assertTrue(
                migrated.out().lines().anyMatch(l -> l.startsWith("alpha ") && l.contains(" " + sha + " ")),
                "the table shows the export document's digest: " + migrated.all());

        try (Storage from = openSource();
                Storage to = openTarget()) {
            final ApiKeys.StoredKey original = from.apiKeys().find(keyId).orElseThrow();
            assertEquals(original, to.apiKeys().find(keyId).orElseThrow(), "keys are copied verbatim");
        }
    }

    @Test
    void shouldChangeNothingOnRerunAndCatchUpWithTheSource() throws Exception {
        assertEquals(0, migrate("sqlite:" + source, postgresqlUrl()).code());
        final Map<String, Storage.ContinuityHead> heads = targetHeads();

        final CliRun again = migrate("sqlite:" + source, postgresqlUrl());
        assertEquals(0, again.code(), again.all());
        assertTrue(
                again.out().contains("3 tenant(s): 0 copied, 3 unchanged since an earlier run, 3 verified"),
                again.all());
        assertTrue(again.out().contains("API keys: 0 copied, 1 already present"), again.all());
        assertEquals(heads, targetHeads(), "a re-run writes nothing");

        learn("beta", "Gravity Assists bend Orbital Mechanics", "Voyager used Gravity Assists.");
        assertEquals(
                0,
                CliRun.of("keys", "revoke", "--data-dir", source.toString(), keyId)
                        .code());
        final CliRun caughtUp = migrate("sqlite:" + source, postgresqlUrl());
        assertEquals(0, caughtUp.code(), caughtUp.all());
        assertTrue(
                caughtUp.out().lines().anyMatch(l -> l.startsWith("beta ") && l.contains(" copied ")), caughtUp.all());
        assertTrue(caughtUp.out().contains("3 tenant(s): 1 copied, 2 unchanged"), caughtUp.all());
        assertTrue(caughtUp.out().contains("(1 revocation(s) carried over)"), caughtUp.all());
        final Map<String, Storage.ContinuityHead> after = targetHeads();
        assertEquals(heads.get("alpha"), after.get("alpha"));
        assertNotEquals(heads.get("beta"), after.get("beta"));
        assertEquals(export(this::openSource), export(this::openTarget));
        try (Storage to = openTarget()) {
            assertTrue(to.apiKeys().find(keyId).orElseThrow().revoked(), "the revocation reached the target");
        }
    }

    @Test
    void shouldMigrateBackFromPostgresqlToASqliteFile() throws Exception {
        assertEquals(0, migrate("sqlite:" + source, postgresqlUrl()).code());
        final Path file = dir.resolve("copy").resolve("data.db");
        final CliRun back = migrate(schema.url(), "sqlite:" + file);
        assertEquals(0, back.code(), back.all());
        assertTrue(Files.isRegularFile(file), "sqlite:PATH ending in .db names the database file");
        assertEquals(export(this::openTarget), export(() -> SqliteStorage.openFile(file, StorageSettings.defaults())));
    }

    @Test
    void shouldFailVerificationWhenTheTargetHoldsStateTheSourceLacks() throws Exception {
        try (Storage to = openTarget()) {
            to.submit(new StorageOp.ForgetMemory("alpha", 424_242L)).join();
        }
        final CliRun migrated = migrate("sqlite:" + source, postgresqlUrl());
        assertEquals(1, migrated.code(), migrated.all());
        assertTrue(
                migrated.out()
                        .lines()
                        .anyMatch(l -> l.startsWith("alpha ")
                                && l.contains("MISMATCH: forgotten_memories 1 in the source, 2 in the target")),
                migrated.all());
        assertTrue(migrated.err().contains("migration NOT verified: tenant 'alpha'"), migrated.all());
        assertFalse(migrated.err().contains("\tat "), migrated.all());
    }

    @Test
    void shouldVerifyAgainstItsSnapshotWhileTheSourceIsWritten() throws Exception {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicInteger learned = new AtomicInteger();
        final Thread writer;
        final CliRun migrated;
        try (Continuum live =
                Continuum.builder().storagePath(source).tenant("beta").build()) {
            writer = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 20_000 && !stop.get(); i++) {
                    live.learn("Live Topic " + i + " mentions Orbital Mechanics", "Noted Live Topic " + i + ".");
                    learned.incrementAndGet();
                }
            });
            while (learned.get() < 20 && writer.isAlive()) {
                Thread.onSpinWait();
            }
            final int before = learned.get();
            migrated = migrate("sqlite:" + source, postgresqlUrl());
            final int after = learned.get();
            stop.set(true);
            writer.join();
            assertTrue(after > before, "the source was written while the migration ran");
        }
        assertEquals(0, migrated.code(), migrated.all());
        final CliRun settled = migrate("sqlite:" + source, postgresqlUrl());
        assertEquals(0, settled.code(), settled.all());
        assertEquals(export(this::openSource), export(this::openTarget));
    }

    @Test
    void shouldRejectBadLocationsWithClearMessages() {
        final CliRun mysql = migrate("sqlite:" + source, "mysql://root:hunter2@db/continuum");
        assertEquals(1, mysql.code(), mysql.all());
        assertTrue(mysql.err().contains("--to 'mysql://root:***@db/continuum' is not a storage location"), mysql.all());

        final CliRun refused = migrate("sqlite:" + source, "postgresql://continuum:hunter2@127.0.0.1:1/continuum");
        assertEquals(1, refused.code(), refused.all());
        assertTrue(
                refused.err().contains("cannot open --to postgresql://continuum:***@127.0.0.1:1/continuum"),
                refused.all());

        final CliRun noHost = migrate("sqlite:" + source, "postgresql:///continuum");
        assertEquals(1, noHost.code(), noHost.all());
        assertTrue(noHost.err().contains("needs a host and a database"), noHost.all());

        final CliRun missing = migrate("sqlite:" + dir.resolve("nowhere"), postgresqlUrl());
        assertEquals(1, missing.code(), missing.all());
        assertTrue(missing.err().contains("--from: there is no database at"), missing.all());
        assertFalse(Files.exists(dir.resolve("nowhere")), "a missing source is not created");

        final CliRun same = migrate("sqlite:" + source, "sqlite:" + source.resolve("continuum.db"));
        assertEquals(1, same.code(), same.all());
        assertTrue(same.err().contains("name the same storage"), same.all());

        for (final CliRun run : List.of(mysql, refused, noHost, missing, same)) {
            assertFalse(run.err().contains("\tat ") || run.err().contains("hunter2"), run.all());
        }
        assertEquals(2, CliRun.of("migrate", "--from", "sqlite:" + source).code(), "--to is required");
    }

    private long learn(final String tenant, final String user, final String ai) throws Exception {
        return learn(source, tenant, user, ai);
    }

    private static long learn(final Path into, final String tenant, final String user, final String ai)
            throws Exception {
        final CliRun run = CliRun.of("learn", "--data-dir", into.toString(), "--tenant", tenant, "--json", user, ai);
        assertEquals(0, run.code(), run.all());
        return JSON.readTree(run.out()).get("memory_id").asLong();
    }

    private static CliRun migrate(final String from, final String to) {
        return CliRun.of("migrate", "--from", from, "--to", to, "--quiet");
    }

    /** The schema's URL in the {@code postgresql://} form (user and schema stay in the query string). */
    private String postgresqlUrl() {
        return schema.url().substring("jdbc:".length());
    }

    private Storage openSource() {
        return SqliteStorage.open(source, StorageSettings.defaults());
    }

    private Storage openTarget() {
        return PostgresStorage.open(schema.url(), StorageSettings.defaults());
    }

    private Map<String, Storage.ContinuityHead> targetHeads() {
        final Map<String, Storage.ContinuityHead> heads = new LinkedHashMap<>();
        try (Storage to = openTarget()) {
            for (final String tenant : TENANTS) {
                heads.put(tenant, to.continuity(tenant));
            }
        }
        return heads;
    }

    /**
     * The full export document (memories included) without what legitimately differs between two stores holding the
     * same content: when it was written and each tenant's continuity chain (the target's records the import).
     */
    private static JsonNode export(final Supplier<Storage> open) throws Exception {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Storage storage = open.get()) {
            DataTransfer.export(storage, out, false, null, true, TransferProgress.NONE);
        }
        final ObjectNode document = (ObjectNode) JSON.readTree(out.toByteArray());
        document.remove("exported_at");
        document.get("tenants").forEach(t -> {
            ((ObjectNode) t).remove("continuity");
            ((ObjectNode) t.get("summary")).remove("seal"); // each store seals with its own key
        });
        return document;
    }
}
