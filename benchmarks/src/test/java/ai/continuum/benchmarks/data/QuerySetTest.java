package ai.continuum.benchmarks.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class QuerySetTest {
    private static final Pattern NAME = Pattern.compile("[A-Z][a-z]+ [A-Z][a-z]+");

    @Test
    void shouldNameOneOrTwoExistingConceptsMixingHubsAndTail() {
        final GeneratedGraph graph = new GraphGenerator(new GraphSize(20_000, 100_000), 2L).generate(d -> {});
        final Map<String, Integer> ids = new HashMap<>();
        for (int id = 0; id < graph.size().concepts(); id++) {
            ids.put(graph.names().displayName(id), id);
        }
        final int[] hubs = QuerySet.hubs(graph.degrees(), graph.size().concepts() / 100);
        final int hubDegree = graph.degrees()[hubs[hubs.length - 1]];
        final QuerySet.Query[] queries = QuerySet.build(graph, 1000, 4L);
        int hubMentions = 0;
        int mentions = 0;
        for (final QuerySet.Query q : queries) {
            final Matcher m = NAME.matcher(q.text());
            final List<String> keys = new ArrayList<>();
            while (m.find()) {
                final Integer id = ids.get(m.group());
                assertNotNull(id, "query names an unknown concept: " + q.text());
                hubMentions += graph.degrees()[id] >= hubDegree ? 1 : 0;
                keys.add(graph.names().key(id));
            }
            assertTrue(keys.size() == 1 || keys.size() == 2, q.text());
            assertEquals(keys, List.of(q.keys()));
            mentions += keys.size();
        }
        assertTrue(hubMentions > mentions / 3 && hubMentions < mentions * 3 / 4, hubMentions + "/" + mentions);
        final QuerySet.Query[] again = QuerySet.build(graph, 1000, 4L);
        for (int i = 0; i < queries.length; i++) {
            assertEquals(queries[i].text(), again[i].text());
            assertArrayEquals(queries[i].keys(), again[i].keys());
        }
    }

    @Test
    void shouldOrderHubsByDegreeDescending() {
        final int[] degrees = {3, 9, 1, 9, 5};
        assertEquals("[1, 3, 4]", Arrays.toString(QuerySet.hubs(degrees, 3)));
    }
}
