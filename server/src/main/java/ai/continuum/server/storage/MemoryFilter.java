package ai.continuum.server.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code FROM ... WHERE} part of a memories query ({@link Storage#memories}) and its parameters, per backend.
 *
 * <p>What a text filter matches. The filter is split at whitespace into at most {@link #MAX_WORDS} words, lower-cased
 * with {@link Locale#ROOT} like {@code messages.search_text} (the user and assistant text), and every word must match;
 * case is ignored throughout Unicode on both backends.
 * <ul>
 *   <li>SQLite: each word occurs as a substring ({@code LIKE}, with {@code %}, {@code _} and {@code \} literal), so
 *       "ubernete" finds "Kubernetes". Every row of the tenant is scanned.</li>
 *   <li>PostgreSQL: each word matches the start of words of the text, as PostgreSQL's default text-search parser
 *       splits both (the {@code 'simple'} configuration: no stemming, no stop words), through the GIN index on
 *       {@code messages.search_vector}. "kube" finds "Kubernetes", "ubernete" does not. A word the parser splits
 *       further must match those parts in sequence ("budget_total" finds "budget_totals" and "budget total");
 *       punctuation matches nothing by itself, so a filter with no letters or digits matches no memory. Only the
 *       first 100,000 characters of a memory are indexed (V2 migration).</li>
 * </ul>
 * Quotes, backslashes and the query operators {@code & | ! : * ( ) <->} in a filter are plain text on both: every word
 * is bound as a parameter, and on PostgreSQL quoted as one {@code tsquery} lexeme, so no filter can fail the query.
 *
 * <p>Thread safety: stateless.
 */
final class MemoryFilter {
    /** Most words a text filter may hold; each becomes one predicate. */
    static final int MAX_WORDS = 16;
    /** The text-search configuration of {@code messages.search_vector} (V2 migration); queries must use the same. */
    private static final String TS_CONFIG = "'simple'::regconfig";

    /**
     * Most matches of a full-text filter that a page query sorts itself (see {@link Where#pageSql}). Sorting 10,000
     * (id, time) pairs takes a few milliseconds; beyond that the matches are common enough that walking the tenant's
     * memories newest first meets a page of them soon.
     */
    static final int MAX_SORTED_MATCHES = 10_000;

    private static final String NEWEST_FIRST = " ORDER BY created_at DESC, id DESC";

    /**
     * @param sql      SQL text starting with {@code " FROM messages WHERE"}.
     * @param params   its parameters in order.
     * @param fullText whether it holds a PostgreSQL full-text condition.
     */
    record Where(String sql, List<Object> params, boolean fullText) {
        /**
         * The query of one page of {@code columns}, newest first, whose parameters are {@link #params} then the limit
         * and the offset. {@code matches} is the count of rows this filter matches (queried first for the total).
         *
         * <p>Given a full-text filter and a {@code LIMIT}, PostgreSQL's planner tends to walk the newest-first index
         * and test each row against the filter: fine when matches are common, but it guesses a word prefix's share
         * of rows (2% when its statistics hold few common words), and a rare word then costs a scan of the tenant's
         * memories (measured: 52 ms against 3 ms, 590 matches among 1.3 million memories). So when the count says
         * the matches are few, the page is taken from them alone: the matches found through the GIN index, sorted,
         * then joined back to their rows.
         */
        String pageSql(final String columns, final long matches) {
            if (!fullText || matches > MAX_SORTED_MATCHES) {
                return "SELECT " + columns + sql + NEWEST_FIRST + " LIMIT ? OFFSET ?";
            }
            return "WITH hits AS MATERIALIZED (SELECT tenant_id, id, created_at" + sql + "), "
                    + "page AS (SELECT tenant_id, id FROM hits" + NEWEST_FIRST + " LIMIT ? OFFSET ?) "
                    + "SELECT " + columns + " FROM page JOIN messages USING (tenant_id, id)" + NEWEST_FIRST;
        }
    }

    private MemoryFilter() {}

    /**
     * @throws IllegalArgumentException when the text filter has more than {@link #MAX_WORDS} words.
     */
    static Where of(final SqlDialect dialect, final String tenant, final Storage.MemoryQuery query) {
        final StringBuilder sql = new StringBuilder(" FROM messages WHERE tenant_id = ?");
        final List<Object> params = new ArrayList<>();
        params.add(tenant);
        if (query.sessionId() != null) {
            sql.append(" AND session_id = ?");
            params.add(query.sessionId());
        }
        if (query.fromMillis() != null) {
            sql.append(" AND created_at >= ?");
            params.add(query.fromMillis());
        }
        if (query.toMillis() != null) {
            sql.append(" AND created_at < ?");
            params.add(query.toMillis());
        }
        final List<String> words = words(query.text());
        final boolean fullText = dialect == SqlDialect.POSTGRESQL && !words.isEmpty();
        if (!words.isEmpty()) {
            switch (dialect) {
                case SQLITE -> {
                    for (final String word : words) {
                        sql.append(" AND search_text LIKE ?").append(LikePatterns.ESCAPE_CLAUSE);
                        params.add(LikePatterns.contains(word));
                    }
                }
                case POSTGRESQL -> {
                    sql.append(" AND search_vector @@ to_tsquery(")
                            .append(TS_CONFIG)
                            .append(", ?)");
                    params.add(prefixQuery(words));
                }
            }
        }
        return new Where(sql.toString(), params, fullText);
    }

    /** The words of a text filter, lower-cased like {@code messages.search_text}; none for a null or blank filter. */
    static List<String> words(final String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        final String[] words = text.strip().toLowerCase(Locale.ROOT).split("\\s+");
        if (words.length > MAX_WORDS) {
            throw new IllegalArgumentException(
                    "text filter has " + words.length + " words; at most " + MAX_WORDS + " are allowed");
        }
        return List.of(words);
    }

    /**
     * The {@code to_tsquery} input that requires every word as a word prefix: {@code 'w1':* & 'w2':*}. Each word is one
     * quoted lexeme (a quote doubled, a backslash doubled, as {@code tsquery} input wants), so operators in it are
     * text; {@code to_tsquery} then splits it with the same parser as the indexed text, and drops what has no
     * lexeme (punctuation). A NUL, which PostgreSQL text cannot hold and so no memory contains, separates words.
     */
    static String prefixQuery(final List<String> words) {
        final StringBuilder q = new StringBuilder();
        for (final String word : words) {
            if (!q.isEmpty()) {
                q.append(" & ");
            }
            q.append('\'');
            for (int i = 0; i < word.length(); i++) {
                final char c = word.charAt(i);
                switch (c) {
                    case '\'' -> q.append("''");
                    case '\\' -> q.append("\\\\");
                    case '\0' -> q.append(' ');
                    default -> q.append(c);
                }
            }
            q.append("':*");
        }
        return q.toString();
    }
}
