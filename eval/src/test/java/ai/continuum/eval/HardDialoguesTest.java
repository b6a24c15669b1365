package ai.continuum.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.junit.jupiter.api.Test;

class HardDialoguesTest {

    @Test
    void shouldProduceIdenticalJsonWhenSeedAndSplitAreTheSame() {
        final String first =
                HardDialogues.generate(HardDialogues.Split.DEV, 3, 7).toJson();

        assertEquals(
                first, HardDialogues.generate(HardDialogues.Split.DEV, 3, 7).toJson());
        assertNotEquals(
                first, HardDialogues.generate(HardDialogues.Split.DEV, 3, 8).toJson());
    }

    @Test
    void shouldAskEveryCategoryWithValidEvidenceWhenGenerated() {
        final EvalDataset dataset = EvalDataset.parse(
                HardDialogues.generate(HardDialogues.Split.HELD_OUT, 4, 1).toJson());

        final Map<String, Integer> categories = new HashMap<>();
        dataset.conversations()
                .forEach(c -> c.questions().forEach(q -> categories.merge(q.category(), 1, Integer::sum)));
        assertEquals(
                Set.of("single-hop", "multi-hop", "open-domain", "knowledge-update", "temporal"), categories.keySet());
        for (final EvalDataset.Conversation c : dataset.conversations()) {
            final Set<String> sessions = new HashSet<>();
            for (final EvalDataset.Question q : c.questions()) {
                if (q.question().startsWith("Which clinic")) {
                    sessions.clear();
                    q.evidence().forEach(id -> sessions.add(turn(c, id).session()));
                    assertEquals(3, sessions.size(), "a three-hop chain spans three sessions: " + q);
                }
            }
        }
    }

    @Test
    void shouldShareNoContentWordWithTheEvidenceWhenParaphrased() {
        for (final HardDialogues.Split split : HardDialogues.Split.values()) {
            final EvalDataset dataset = HardDialogues.generate(split, 6, 3);
            int checked = 0;
            for (final EvalDataset.Conversation c : dataset.conversations()) {
                for (final EvalDataset.Question q : c.questions()) {
                    if (!q.category().equals("open-domain")) {
                        continue;
                    }
                    final EvalDataset.DialogueTurn evidence =
                            turn(c, q.evidence().get(0));
                    final Set<String> shared = stems(q.question().replace(evidence.speaker(), ""));
                    shared.retainAll(stems(evidence.text()));
                    assertTrue(shared.isEmpty(), q.question() + " / " + evidence.text() + " share " + shared);
                    checked++;
                }
            }
            assertTrue(checked >= 12, "checked " + checked);
        }
    }

    @Test
    void shouldDrawNoNameFromTheDevelopmentPoolWhenHeldOut() {
        final Set<String> dev = capitalised(HardDialogues.generate(HardDialogues.Split.DEV, 8, 5));
        final Set<String> heldOut = capitalised(HardDialogues.generate(HardDialogues.Split.HELD_OUT, 8, 5));

        heldOut.retainAll(dev);
        assertEquals(Set.of(), heldOut);
    }

    @Test
    void shouldPlaceTheEvidenceLastWhenAFactIsUpdated() {
        final EvalDataset.Conversation c = HardDialogues.generate(HardDialogues.Split.DEV, 1, 11)
                .conversations()
                .get(0);
        for (final EvalDataset.Question q : c.questions()) {
            if (q.question().startsWith("Which city does ")) {
                final String speaker =
                        q.question().replace("Which city does ", "").replace(" live in now?", "");
                final EvalDataset.DialogueTurn answer = turn(c, q.evidence().get(0));
                final long later = c.turns().stream()
                        .filter(t -> t.speaker().equals(speaker)
                                && t.text().startsWith("I live in ")
                                && t.timeMillis() > answer.timeMillis())
                        .count();
                final long earlier = c.turns().stream()
                        .filter(t -> t.speaker().equals(speaker)
                                && t.text().startsWith("I live in ")
                                && t.timeMillis() < answer.timeMillis())
                        .count();
                assertEquals(0, later, q.question());
                assertTrue(earlier >= 1, "an update has an older statement: " + q.question());
            }
        }
    }

    private static EvalDataset.DialogueTurn turn(final EvalDataset.Conversation c, final String id) {
        return c.turns().stream().filter(t -> t.id().equals(id)).findFirst().orElseThrow();
    }

    /** Capitalised words after the first of each sentence: names of people, places, things. */
    private static Set<String> capitalised(final EvalDataset dataset) {
        final Set<String> out = new HashSet<>();
        for (final EvalDataset.Conversation c : dataset.conversations()) {
            for (final EvalDataset.DialogueTurn t : c.turns()) {
                out.add(t.speaker());
                final String[] words = t.text().split("[^\\p{L}]+", -1);
                for (int i = 1; i < words.length; i++) {
                    if (!words[i].isEmpty()
                            && Character.isUpperCase(words[i].charAt(0))
                            && !words[i].equals("I")
                            && !words[i - 1].isEmpty()) {
                        out.add(words[i]);
                    }
                }
            }
        }
        out.removeAll(Set.of("Saturday", "Friday", "June", "On", "Remember", "The", "This", "These", "My", "At"));
        return out;
    }

    private static Set<String> stems(final String text) {
        final Set<String> out = new HashSet<>();
        try (Analyzer analyzer = new EnglishAnalyzer();
                TokenStream stream = analyzer.tokenStream("f", text)) {
            final CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                out.add(term.toString());
            }
            stream.end();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
