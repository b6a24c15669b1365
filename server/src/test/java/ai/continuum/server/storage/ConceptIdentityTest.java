package ai.continuum.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.continuum.engine.ConceptKeys;
import ai.continuum.engine.Delta;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;

/**
 * The database enforces case-insensitive concept identity ({@code entities_identity}, V2 migration): it never rejects
 * a concept key the product writes (a name normalised by {@link ConceptKeys#normalize}, Java's lower-casing), and it
 * rejects a second spelling of a concept written behind the API.
 */
class ConceptIdentityTest {
    private static final String T = "tenant-a";
    /** The identity index: its second column is the expression that folds case. */
    private static final Pattern SQLITE_EXPRESSION = Pattern.compile("\\(tenant_id, (.+)\\)$");

    private TestDatabase db;
    private Storage storage;

    private void open(final TestDatabase database) {
        db = database;
        storage = db.open(StorageSettings.defaults());
    }

    @AfterEach
    void close() {
        if (storage != null) {
            storage.close();
        }
    }

    @OnEachBackend
    void shouldAcceptEveryKeyTheProductWritesWhereJavaAndDatabaseLowerCasingDiffer(final TestDatabase database) {
        open(database);
        // Display names whose keys Java keeps apart although a simpler lower-casing would merge them: final sigma
        // ('ΟΔΟΣ' is 'οδος', not 'οδοσ'), dotted capital I ('i̇stanbul', not 'istanbul'), sharp s, ligatures,
        // titlecase digraphs, the Kelvin sign; then one name per code point Java gives case to.
        final List<String> names = new ArrayList<>(List.of(
                "ΟΔΟΣ",
                "οδοσ",
                "İstanbul",
                "istanbul",
                "ß",
                "ss",
                "ẞ",
                "ﬀ",
                "ff",
                "ǅ",
                "ǆ",
                "\u212A",
                "k",
                "ΣΑΣ",
                "σας"));
        for (int cp = 1; cp <= Character.MAX_CODE_POINT; cp++) {
            if (Character.isDefined(cp)
                    && (Character.isUpperCase(cp) || Character.isLowerCase(cp) || Character.isTitleCase(cp))
                    && !Character.isWhitespace(cp)) {
                names.add(Character.toString(cp));
            }
        }
        final TreeMap<String, Delta.ConceptDelta> byKey = new TreeMap<>();
        for (final String name : names) {
            final String key = ConceptKeys.normalize(name);
            byKey.putIfAbsent(key, new Delta.ConceptDelta(key, name, "concept", "", 1));
        }
        storage.submit(new StorageOp.Apply(
                        T, new Delta(List.copyOf(byKey.values()), List.of(), List.of(), List.of(), List.of())))
                .join();

        final Delta loaded = Deltas.loaded(storage).get(T);
        assertEquals(byKey.size(), loaded.concepts().size());
        assertTrue(byKey.size() > 2_000, "cased code points: " + byKey.size());
        assertTrue(byKey.containsKey("οδος") && byKey.containsKey("οδοσ"));
        assertTrue(byKey.containsKey("i\u0307stanbul") && byKey.containsKey("istanbul"));
    }

    @OnEachBackend
    void shouldLeaveEveryJavaLowerCasedCodePointUnchangedInTheIdentityExpression(final TestDatabase database)
            throws SQLException {
        open(database);
        // The general form of the test above: the database's folding is the identity on whatever Java lower-cases
        // (every code point, assigned or not in this JDK), so no two keys the product writes can collide in the
        // index. A server whose Unicode tables know case pairs this JDK does not would fail here.
        final String expression = identityExpression();
        final List<String> lowered = new ArrayList<>();
        for (int cp = 1; cp <= Character.MAX_CODE_POINT; cp++) {
            if (cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE) {
                lowered.add(ConceptKeys.normalize(Character.toString(cp)));
            }
        }
        lowered.removeIf(String::isEmpty);
        assertEquals(List.of(), changedBy(expression, lowered), expression);
    }

    @OnEachBackend
    void shouldRejectASecondSpellingOfAConceptWrittenBehindTheApi(final TestDatabase database) throws SQLException {
        open(database);
        storage.submit(new StorageOp.Apply(T, Deltas.turn(1, 1, "we use Kubernetes", "Kubernetes", "Äpfel", "ΟΔΟΣ")))
                .join();

        assertRejected("Kubernetes");
        assertRejected("KUBERNETES");
        insertBehindTheApi("other-tenant", "Kubernetes");
        insertBehindTheApi(T, "kubernetes-2");
        // Beyond ASCII, PostgreSQL folds as Java does (ICU); SQLite's lower() folds ASCII letters only.
        if (db.postgres()) {
            assertRejected("ÄPFEL");
            assertRejected("ΟΔΟΣ");
        } else {
            insertBehindTheApi(T, "ÄPFEL");
        }
        assertEquals(
                db.postgres() ? 4 : 5, db.scalar("SELECT COUNT(*) FROM entities " + "WHERE tenant_id = '" + T + "'"));
    }

    private void assertRejected(final String key) {
        final SQLException e = assertThrows(SQLException.class, () -> insertBehindTheApi(T, key), key);
        assertTrue(
                e.getMessage().contains("entities_identity") || e.getMessage().contains("UNIQUE"), e.getMessage());
    }

    private void insertBehindTheApi(final String tenant, final String key) throws SQLException {
        db.update(
                "INSERT INTO entities (tenant_id, key, name, entity_type, description, created_at)"
                        + " VALUES (?, ?, ?, 'concept', '', 1)",
                tenant,
                key,
                key);
    }

    /** The SQL expression of {@code entities_identity} that folds the key, as the database reports it. */
    private String identityExpression() throws SQLException {
        final String sql = db.postgres()
                ? "SELECT pg_get_indexdef('entities_identity'::regclass, 2, true)"
                : "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'entities_identity'";
        try (Connection c = db.connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), "entities_identity exists");
            final String definition = rs.getString(1);
            if (db.postgres()) {
                return definition;
            }
            final Matcher m = SQLITE_EXPRESSION.matcher(definition);
            assertTrue(m.find(), definition);
            return m.group(1);
        }
    }

    /** The values the expression (over a column named {@code key}) does not give back unchanged. */
    private List<String> changedBy(final String expression, final List<String> values) throws SQLException {
        final List<String> changed = new ArrayList<>();
        try (Connection c = db.connect()) {
            final String sql = db.postgres()
                    ? "SELECT key FROM (SELECT unnest(?::text[]) AS key) v WHERE " + expression + " <> key"
                    : "SELECT key FROM (SELECT value AS key FROM json_each(?)) v WHERE " + expression + " <> key";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                if (db.postgres()) {
                    ps.setArray(1, c.createArrayOf("text", values.toArray()));
                } else {
                    ps.setString(1, jsonArray(values));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        changed.add(rs.getString(1));
                    }
                }
            }
        }
        return changed;
    }

    private static String jsonArray(final List<String> values) {
        final StringBuilder b = new StringBuilder("[");
        for (final String v : values) {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append('"');
            v.codePoints().forEach(cp -> {
                if (cp == '"' || cp == '\\' || cp < 0x20) {
                    b.append(String.format("\\u%04x", cp));
                } else {
                    b.appendCodePoint(cp);
                }
            });
            b.append('"');
        }
        return b.append(']').toString();
    }
}
