package ai.continuum.server.transfer;

import static ai.continuum.server.transfer.TransferProgress.NONE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.engine.ConceptKeys;
import ai.continuum.engine.Delta;
import ai.continuum.engine.EngineConfig;
import ai.continuum.engine.MemoryEngine;
import ai.continuum.server.cli.ContinuumCli;
import ai.continuum.server.core.ContinuumCore;
import ai.continuum.server.metrics.ContinuumMetrics;
import ai.continuum.server.storage.ImportMode;
import ai.continuum.server.storage.SqliteStorage;
import ai.continuum.server.storage.Storage;
import ai.continuum.server.storage.StorageOp;
import ai.continuum.server.storage.StorageSettings;
import ai.continuum.server.storage.TestDatabase;
import ai.continuum.server.storage.UnverifiedContinuityException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Export and import on both backends: the round trip, idempotence, merge and replace semantics, and rejection of
 * every kind of bad file with nothing changed.
 */
class DataTransferTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = 1_790_000_000_000L;

    enum Backend {
        SQLITE,
        POSTGRESQL
    }

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    /**
     * A new, empty store on {@code backend}, already at the current schema: what is tested here is export and import,
     * not migrating, and migrating a new database from nothing for each of the class's many stores was most of its
     * time.
     */
    private Storage store(final Backend backend) {
        final StorageSettings settings = StorageSettings.defaults().withLoadChunkRows(7);
        final TestDatabase db = TestDatabase.createMigrated(
                backend == Backend.SQLITE ? TestDatabase.Backend.SQLITE : TestDatabase.Backend.POSTGRESQL);
        open.add(db);
        final Storage storage = db.open(settings);
        open.add(storage);
        return storage;
    }

    /** Two tenants with concepts, links, compounds, memories, decisions and a forgotten memory. */
    private static void populate(final Storage s) {
        apply(s, "acme", turn(1, T0, "Kubernetes", "Helm", "Pods"));
        apply(s, "acme", turn(2, T0 + 1_000, "Kubernetes", "Helm"));
        apply(s, "acme", turn(3, T0 + 2_000, "Grüße", "Ünïcode", "日本語"));
        apply(s, "acme", turn(4, T0 + 3_000, "Secret", "Password"));
        s.submit(new StorageOp.ForgetMemory("acme", 4)).join();
        apply(s, "beta", turn(10, T0, "Postgres", "Tables"));
    }

    private static void apply(final Storage s, final String tenant, final Delta d) {
        s.submit(new StorageOp.Apply(tenant, d)).join();
    }

    static Delta turn(final long id, final long time, final String... names) {
        final TreeMap<String, String> byKey = new TreeMap<>();
        for (final String n : names) {
            byKey.putIfAbsent(ConceptKeys.normalize(n), n);
        }
        final List<Delta.ConceptDelta> concepts = new ArrayList<>();
        byKey.forEach((k, n) -> concepts.add(new Delta.ConceptDelta(k, n, "concept", "Extracted from user", time)));
        final List<String> keys = new ArrayList<>(byKey.keySet());
        final List<Delta.LinkDelta> links = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            for (int j = i + 1; j < keys.size(); j++) {
                links.add(new Delta.LinkDelta(keys.get(i), keys.get(j), 1, time));
            }
        }
        return new Delta(
                concepts,
                links,
                List.of(new Delta.CompoundDelta(keys, 1, time)),
                List.of(new Delta.MemoryDelta(
                        id,
                        "s-" + id,
                        "we talked about " + String.join(" and ", names),
                        "noted",
                        "",
                        "{\"k\":\"v\"}",
                        time,
                        keys)),
                List.of(new Delta.DecisionDelta(id, 0, "We will use " + names[0], time)));
    }

    private Path export(final Storage s, final String name, final boolean compress) {
        return DataTransfer.exportToFile(s, dir.resolve(name), compress, null, true, TransferProgress.NONE)
                .file();
    }

    private static List<TenantImport> importInto(final Storage s, final Path file, final ImportMode mode) {
        return DataTransfer.importFile(file, mode, null, DataTransfer.into(s), TransferProgress.NONE);
    }

    /** The document without what legitimately differs between stores: export time, continuity heads and seals. */
    private static JsonNode content(final Path file) throws IOException {
        final ByteArrayOutputStream plain = new ByteArrayOutputStream();
        try (var in = Documents.openInput(file)) {
            in.content().transferTo(plain);
        }
        final ObjectNode doc = (ObjectNode) JSON.readTree(plain.toByteArray());
        doc.remove("exported_at");
        doc.get("tenants").forEach(t -> {
            ((ObjectNode) t).remove("continuity");
            ((ObjectNode) t.get("summary")).remove("seal"); // each store seals with its own key
        });
        return doc;
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void exportThenImportIntoAnEmptyStoreThenExportGivesTheSameContent(final Backend target) throws IOException {
        final Backend source = target == Backend.SQLITE ? Backend.POSTGRESQL : Backend.SQLITE;
        final Storage from = store(source);
        populate(from);
        final Path first = export(from, "first.json", true);
        assertTrue(first.getFileName().toString().endsWith("first.json.gz"));

        final Storage to = store(target);
        final List<TenantImport> imported = importInto(to, first, ImportMode.MERGE);
        assertEquals(
                List.of("acme", "beta"),
                imported.stream().map(TenantImport::tenant).toList());
        assertTrue(imported.stream().allMatch(TenantImport::applied));

        final Path second = export(to, "second.json", false);
        assertEquals(content(first), content(second));
        assertEquals(
                1,
                content(second).get("tenants").get(0).get("forgotten_memories").size());
        assertTrue(to.memory("acme", 4).isEmpty(), "a forgotten memory is not imported");
        assertEquals(
                List.of("Kubernetes and Helm and Pods"),
                List.of(to.memory("acme", 1).orElseThrow().userText().substring("we talked about ".length())));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void importingTheSameFileTwiceChangesNothing(final Backend backend) throws IOException {
        final Storage from = store(backend);
        populate(from);
        final Path doc = export(from, "doc.json", false);
        final Storage to = store(backend);
        importInto(to, doc, ImportMode.MERGE);
        final Storage.ContinuityHead head = to.continuity("acme");
        final JsonNode once = content(export(to, "once.json", false));

        final List<TenantImport> again = importInto(to, doc, ImportMode.MERGE);
        assertTrue(again.stream().noneMatch(TenantImport::applied));
        assertTrue(
                again.getFirst().skipReason().contains("already imported"),
                again.getFirst().skipReason());
        assertEquals(head, to.continuity("acme"));
        assertEquals(once, content(export(to, "twice.json", false)));

        final List<TenantImport> replaced = importInto(to, doc, ImportMode.REPLACE);
        assertTrue(replaced.stream().allMatch(TenantImport::applied), "a replace after other writes runs");
        final Storage.ContinuityHead afterReplace = to.continuity("acme");
        assertTrue(
                importInto(to, doc, ImportMode.REPLACE).stream().noneMatch(TenantImport::applied),
                "the same replace again is skipped");
        assertEquals(afterReplace, to.continuity("acme"));
        assertEquals(once, content(export(to, "replaced.json", false)));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void mergeSumsCountsOncePerSourceKeepsMaxTimesAndSkipsTheTenantsOwnExport(final Backend backend)
            throws IOException {
        final Storage other = store(backend);
        apply(other, "acme", turn(20, T0 + 50_000, "Kubernetes", "Helm"));
        apply(other, "acme", turn(21, T0 + 60_000, "Kubernetes", "Helm"));
        final Path theirs = export(other, "theirs.json", false);

        final Storage mine = store(backend);
        populate(mine);
        final Path own = export(mine, "own.json", false);
        final List<TenantImport> self = importInto(mine, own, ImportMode.MERGE);
        assertTrue(self.stream().noneMatch(TenantImport::applied), "a tenant's own export is already contained");
        assertTrue(
                self.getFirst().skipReason().contains("own state"),
                self.getFirst().skipReason());

        importInto(mine, theirs, ImportMode.MERGE);
        importInto(mine, theirs, ImportMode.MERGE);
        final JsonNode links = content(export(mine, "merged.json", false))
                .get("tenants")
                .get(0)
                .get("links");
        JsonNode helmKubernetes = null;
        for (final JsonNode l : links) {
            if (l.get("a").asText().equals("helm") && l.get("b").asText().equals("kubernetes")) {
                helmKubernetes = l;
            }
        }
        assertEquals(4, helmKubernetes.get("count").asInt(), "2 of mine + 2 merged once");
        assertEquals(T0 + 60_000, helmKubernetes.get("lastSeenMillis").asLong(), "the later time wins");
        assertTrue(mine.memory("acme", 20).isPresent() && mine.memory("acme", 1).isPresent(), "memories unite");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aDocumentWithTheTenantsHeadButOtherContentIsNotCountedAsAlreadyImported(final Backend backend)
            throws IOException {
        final Storage mine = store(backend);
        populate(mine);
        final Path own = DataTransfer.exportToFile(mine, dir.resolve("own.json"), false, "acme", true, NONE)
                .file();
        apply(mine, "acme", turn(5, T0 + 4_000, "Later", "Things"));
        final Storage.ContinuityHead head = mine.continuity("acme");

        // The genuine export of an earlier state is still recognised: its seal vouches for its content at its head.
        final List<TenantImport> genuine = importInto(mine, own, ImportMode.MERGE);
        assertTrue(genuine.stream().noneMatch(TenantImport::applied), "the tenant's own earlier export is here");
        assertTrue(
                genuine.getFirst().skipReason().contains("own state"),
                genuine.getFirst().skipReason());

        // A memory's text changed, the continuity head kept, and the now wrong sha256 dropped (it is optional; a
        // forger could as well recompute it): the document is well-formed and claims to be acme's state.
        final ObjectNode doc = (ObjectNode) JSON.readTree(own.toFile());
        final ObjectNode acme = (ObjectNode) doc.get("tenants").get(0);
        ((ObjectNode) acme.get("memories").get(0)).put("userText", "we talked about something else entirely");
        ((ObjectNode) acme.get("summary")).remove("sha256");
        final Path forged = dir.resolve("forged.json");
        JSON.writeValue(forged.toFile(), doc);
        final UnverifiedContinuityException refused =
                assertThrows(UnverifiedContinuityException.class, () -> importInto(mine, forged, ImportMode.MERGE));
        assertTrue(refused.getMessage().contains("seal does not vouch"), refused.getMessage());
        assertEquals(head, mine.continuity("acme"), "nothing was imported");
        assertEquals(
                "we talked about Kubernetes and Helm and Pods",
                mine.memory("acme", 1).orElseThrow().userText());

        // Without a seal (another store's or an older version's export) the claim cannot be checked either.
        final ObjectNode unsealed = (ObjectNode) JSON.readTree(own.toFile());
        ((ObjectNode) unsealed.get("tenants").get(0).get("summary")).remove("seal");
        final Path bare = dir.resolve("unsealed.json");
        JSON.writeValue(bare.toFile(), unsealed);
        assertThrows(UnverifiedContinuityException.class, () -> importInto(mine, bare, ImportMode.MERGE));
        assertEquals(head, mine.continuity("acme"));

        // The ways on that the refusal names: a replace, or another tenant.
        assertTrue(DataTransfer.importFile(forged, ImportMode.MERGE, "acme-copy", DataTransfer.into(mine), NONE)
                .getFirst()
                .applied());
        assertEquals(
                "we talked about something else entirely",
                mine.memory("acme-copy", 1).orElseThrow().userText());
        assertTrue(importInto(mine, forged, ImportMode.REPLACE).getFirst().applied());
        assertEquals(
                "we talked about something else entirely",
                mine.memory("acme", 1).orElseThrow().userText());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void replaceRestoresTheDocumentButForgottenMemoriesStayForgotten(final Backend backend) throws IOException {
        final Storage s = store(backend);
        populate(s);
        final Path backup = export(s, "backup.json", false);
        apply(s, "acme", turn(30, T0 + 90_000, "Later", "Stuff"));
        s.submit(new StorageOp.ForgetMemory("acme", 1)).join();

        importInto(s, backup, ImportMode.REPLACE);

        assertTrue(s.memory("acme", 30).isEmpty(), "state after the backup is gone");
        assertTrue(s.memory("acme", 1).isEmpty(), "a memory forgotten after the backup stays forgotten");
        assertTrue(s.memory("acme", 2).isPresent());
        assertTrue(s.verifyContinuity("acme").intact(), "the replace is recorded in the chain");
        final JsonNode restored =
                content(export(s, "restored.json", false)).get("tenants").get(0);
        assertFalse(restored.get("concepts").toString().contains("\"later\""));
    }

    /** Every way a file can be bad: rejected with a clear message, and the store is exactly as before. */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void badFilesAreRejectedAndChangeNothing(final Backend backend) throws IOException {
        final Storage s = store(backend);
        populate(s);
        final Path good = export(s, "good.json", false);
        final byte[] bytes = Files.readAllBytes(good);
        final String text = new String(bytes, StandardCharsets.UTF_8);
        final Storage target = store(backend);
        apply(target, "acme", turn(99, T0, "Existing", "Stuff"));
        final JsonNode before = content(export(target, "before.json", false));

        final Map<String, byte[]> bad = new TreeMap<>();
        bad.put("truncated", java.util.Arrays.copyOf(bytes, bytes.length / 2));
        bad.put(
                "truncated before the trailer",
                text.substring(0, text.lastIndexOf("\"tenant_count\"")).getBytes(StandardCharsets.UTF_8));
        bad.put("truncated gzip", java.util.Arrays.copyOf(gzip(bytes), gzip(bytes).length - 20));
        bad.put("edited count", edit(text, s1 -> s1.replaceFirst("\"count\":1,", "\"count\":7,")));
        bad.put("version 2", edit(text, s1 -> s1.replace("\"version\" : 1", "\"version\" : 2")));
        bad.put("other format", edit(text, s1 -> s1.replace("continuum-export", "something-else")));
        bad.put("not json", "hello, world".getBytes(StandardCharsets.UTF_8));
        bad.put("empty", new byte[0]);
        bad.put("json array", "[1,2,3]".getBytes(StandardCharsets.UTF_8));
        bad.put("count as string", edit(text, s1 -> s1.replaceFirst("\"count\":1,", "\"count\":\"1\",")));
        bad.put("count overflow", edit(text, s1 -> s1.replaceFirst("\"count\":1,", "\"count\":99999999999,")));
        bad.put(
                "injection tenant",
                edit(
                        text,
                        s1 -> s1.replace("\"tenant\" : \"beta\"", "\"tenant\" : \"beta'; DROP TABLE entities; --\"")));
        bad.put("key not normalised", edit(text, s1 -> s1.replaceFirst("\"key\":\"helm\"", "\"key\":\"HELM\"")));
        bad.put("trailing garbage", (text + "{}").getBytes(StandardCharsets.UTF_8));
        final byte[] gz = gzip(bytes);
        bad.put("gzip with trailing garbage", concat(gz, "trailing garbage".getBytes(StandardCharsets.UTF_8)));
        bad.put("gzip with one trailing byte", concat(gz, new byte[] {0x1f}));
        bad.put("duplicate tenant section", duplicateLastTenant(text));
        for (final Map.Entry<String, byte[]> e : bad.entrySet()) {
            final Path file = dir.resolve("bad-" + e.getKey().replace(' ', '-') + ".json");
            Files.write(file, e.getValue());
            final InvalidDocumentException rejected = assertThrows(
                    InvalidDocumentException.class, () -> importInto(target, file, ImportMode.REPLACE), e.getKey());
            assertFalse(rejected.getMessage().isBlank(), e.getKey());
            assertFalse(
                    rejected.getMessage().contains("column -")
                            || rejected.getMessage().contains("column 0"),
                    e.getKey() + ": a position is never negative: " + rejected.getMessage());
            assertEquals(before, content(export(target, "after.json", false)), e.getKey() + " changed the store");
        }
    }

    /** Concatenated gzip members (as {@code cat a.gz b.gz} makes) are one valid stream. */
    @Test
    void concatenatedGzipMembersImport() throws IOException {
        final Storage s = store(Backend.SQLITE);
        populate(s);
        final byte[] bytes = Files.readAllBytes(export(s, "plain.json", false));
        final int half = bytes.length / 2;
        final Path members = dir.resolve("members.json.gz");
        Files.write(
                members,
                concat(
                        gzip(java.util.Arrays.copyOf(bytes, half)),
                        gzip(java.util.Arrays.copyOfRange(bytes, half, bytes.length))));
        final Storage target = store(Backend.SQLITE);
        assertEquals(2, importInto(target, members, ImportMode.MERGE).size());
    }

    /** An item over a size limit is refused before anything is written, naming the limit. */
    @Test
    void anOversizedMemoryIsRefusedNamingTheLimit() throws IOException {
        final Storage s = store(Backend.SQLITE);
        populate(s);
        final String text = Files.readString(export(s, "doc.json", false));
        final Path big = dir.resolve("big.json");
        Files.writeString(big, text.replaceFirst("\"noted\"", "\"" + "n".repeat(5 << 20) + "\""));
        final Storage target = store(Backend.SQLITE);
        final ai.continuum.engine.SizeLimitExceededException e = assertThrows(
                ai.continuum.engine.SizeLimitExceededException.class, () -> importInto(target, big, ImportMode.MERGE));
        assertEquals("memory_bytes", e.limit(), e.getMessage());
        assertTrue(target.tenants().isEmpty(), "nothing was written");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void oneTenantExportsAloneAndImportsUnderAnotherName(final Backend backend) throws IOException {
        final Storage s = store(backend);
        populate(s);
        final Path acme = DataTransfer.exportToFile(
                        s, dir.resolve("acme.json"), false, "acme", false, TransferProgress.NONE)
                .file();
        final JsonNode doc = content(acme);
        assertEquals(1, doc.get("tenant_count").asInt());
        assertEquals("acme", doc.get("tenants").get(0).get("tenant").asText());
        assertFalse(doc.get("tenants").get(0).has("memories"), "memories only when asked");
        assertFalse(doc.get("includes_memories").asBoolean());

        final Storage to = store(backend);
        final List<TenantImport> renamed = DataTransfer.importFile(
                acme, ImportMode.MERGE, "acme-copy", DataTransfer.into(to), TransferProgress.NONE);
        assertEquals("acme-copy", renamed.getFirst().tenant());
        assertEquals(List.of("acme-copy"), to.tenants());
        assertTrue(to.memory("acme-copy", 1).isEmpty(), "no memories were exported");

        final Path both = export(s, "both.json", false);
        final IllegalArgumentException ambiguous = assertThrows(
                IllegalArgumentException.class,
                () -> DataTransfer.importFile(
                        both, ImportMode.MERGE, "gamma", DataTransfer.into(to), TransferProgress.NONE));
        assertTrue(ambiguous.getMessage().contains("acme, beta"), ambiguous.getMessage());
        assertEquals(
                0,
                DataTransfer.exportToFile(s, dir.resolve("none.json"), false, "nobody", true, TransferProgress.NONE)
                        .tenants());
    }

    @Test
    void cliExportAndImportSpeakPlainlyAndNeverDoubleTheGzipSuffix() throws IOException {
        final Path data = dir.resolve("cli-data");
        final Storage s = SqliteStorage.open(data, StorageSettings.defaults());
        populate(s);
        s.close();
        final Path requested = dir.resolve("backup.json.gz");
        assertEquals(
                0,
                ContinuumCli.run(
                        "export",
                        requested.toString(),
                        "--compress",
                        "--include-memories",
                        "--quiet",
                        "--data-dir",
                        data.toString()));
        assertTrue(Files.exists(requested));
        assertFalse(Files.exists(dir.resolve("backup.json.gz.gz")));

        final Path corrupt = dir.resolve("corrupt.json.gz");
        final byte[] zipped = Files.readAllBytes(requested);
        Files.write(corrupt, java.util.Arrays.copyOf(zipped, zipped.length / 2));
        assertEquals(
                1,
                ContinuumCli.run(
                        "import",
                        corrupt.toString(),
                        "--quiet",
                        "--data-dir",
                        dir.resolve("other").toString()));
        assertEquals(
                2,
                ContinuumCli.run(
                        "import",
                        requested.toString(),
                        "--merge",
                        "--replace",
                        "--data-dir",
                        dir.resolve("other").toString()),
                "merge and replace exclude each other");
        assertEquals(
                0,
                ContinuumCli.run(
                        "import",
                        requested.toString(),
                        "--quiet",
                        "--data-dir",
                        dir.resolve("other").toString()));
        assertEquals(
                0,
                ContinuumCli.run(
                        "import",
                        requested.toString(),
                        "--quiet",
                        "--data-dir",
                        dir.resolve("other").toString()),
                "again: skipped, still success");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aLiveImportReachesTheEngineAndAReplaceLeavesItEqualToARebuild(final Backend backend) throws IOException {
        final Storage source = store(backend);
        populate(source);
        final Path doc = export(source, "doc.json", false);

        final Storage s = store(backend);
        final MemoryEngine engine = MemoryEngine.create(EngineConfig.defaults());
        open.add(engine);
        final ContinuumCore core = new ContinuumCore(engine, s, new ContinuumMetrics());
        core.rebuild();
        // Written behind the core (straight to storage): the core's applier finds it in the change log, in chain
        // order, before it applies the import that follows it.
        apply(s, "acme", turn(50, T0, "Before", "Import"));

        DataTransfer.importFile(doc, ImportMode.MERGE, null, core::importState, TransferProgress.NONE);
        assertFalse(engine.recall("acme", "kubernetes helm").concepts().isEmpty());
        assertTrue(engine.memory("acme", 50).isPresent());
        assertEquals(rebuiltChecksum(s, "acme"), engine.checksum("acme"));

        DataTransfer.importFile(doc, ImportMode.REPLACE, null, core::importState, TransferProgress.NONE);
        assertTrue(engine.memory("acme", 50).isEmpty(), "replace dropped what the document lacks");
        assertTrue(engine.memory("acme", 4).isEmpty(), "the forgotten memory stays forgotten");
        assertEquals(rebuiltChecksum(s, "acme"), engine.checksum("acme"));
        assertEquals(rebuiltChecksum(s, "beta"), engine.checksum("beta"));
        assertNotEquals(0, engine.checksum("beta"));
    }

    private static long rebuiltChecksum(final Storage s, final String tenant) {
        try (MemoryEngine fresh = MemoryEngine.create(EngineConfig.defaults())) {
            try (MemoryEngine.BulkLoad load = fresh.bulkLoad()) {
                s.load(load::apply);
            }
            s.loadForgottenMemories(fresh::forgetMemory);
            return fresh.checksum(tenant);
        }
    }

    private static byte[] edit(final String text, final UnaryOperator<String> change) {
        final String changed = change.apply(text);
        assertNotEquals(text, changed, "the edit must change something");
        return changed.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(final byte[] a, final byte[] b) {
        final byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /** The document with its last tenant section twice (and the count to match). */
    private static byte[] duplicateLastTenant(final String text) throws IOException {
        final ObjectNode doc = (ObjectNode) JSON.readTree(text);
        final var tenants = (com.fasterxml.jackson.databind.node.ArrayNode) doc.get("tenants");
        tenants.add(tenants.get(tenants.size() - 1).deepCopy());
        doc.put("tenant_count", tenants.size());
        return JSON.writeValueAsBytes(doc);
    }

    private static byte[] gzip(final byte[] bytes) throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(bytes);
        }
        return out.toByteArray();
    }
}
