package ai.continuum.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code continuum eval --compare BEFORE.json AFTER.json}: what a change to recall did, from two reports of the same
 * dataset ({@link JsonReport}). Per retriever in both, every metric that moved, overall and per category, in points;
 * then every question whose evidence found in the top {@code k} or whose first evidence rank changed, gains first. A
 * change tuned on one set is checked against another by reading this, not by re-running both. Stateless.
 */
public final class ReportComparison {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The cut-off questions are compared at when both reports have it; else their largest common one. */
    private static final int PREFERRED_K = 10;
    /** Metrics closer than this are the same figure (the reports round nothing; this is float noise). */
    private static final double SAME = 1e-9;

    private ReportComparison() {}

    /** Thrown for a file that is not a report, or two reports of different questions. */
    public static final class InvalidReportException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        InvalidReportException(final String message) {
            super(message);
        }
    }

    /** The comparison of {@code before} and {@code after} as text, one line per figure or question that moved. */
    public static String compare(final Path before, final Path after) throws IOException {
        final JsonNode a = read(before);
        final JsonNode b = read(after);
        final List<String> questionsA = questionKeys(a);
        if (!questionsA.equals(questionKeys(b))) {
            throw new InvalidReportException(
                    before + " and " + after + " are reports of different questions; compare runs of one dataset");
        }
        final int k = cutOff(a, b, before, after);
        final StringBuilder text = new StringBuilder();
        text.append(String.format(
                Locale.ROOT,
                "Comparison of %s -> %s: %s, %d questions; questions compared at %d%n",
                before,
                after,
                a.path("dataset").asText(),
                questionsA.size(),
                k));
        boolean any = false;
        for (final Iterator<String> names = a.path("retrievers").fieldNames(); names.hasNext(); ) {
            final String name = names.next();
            final JsonNode runB = b.path("retrievers").path(name);
            if (runB.isMissingNode()) {
                continue;
            }
            any = true;
            final JsonNode runA = a.path("retrievers").path(name);
            text.append(System.lineSeparator()).append(name).append(System.lineSeparator());
            metrics(text, "all", runA.path("overall"), runB.path("overall"));
            for (final Iterator<String> cats = runA.path("categories").fieldNames(); cats.hasNext(); ) {
                final String category = cats.next();
                metrics(
                        text,
                        category,
                        runA.path("categories").path(category),
                        runB.path("categories").path(category));
            }
            questions(text, name, a.path("per_question"), b.path("per_question"), k);
        }
        if (!any) {
            throw new InvalidReportException(before + " and " + after + " have no retriever in common");
        }
        return text.toString();
    }

    private static JsonNode read(final Path file) throws IOException {
        final JsonNode root;
        try {
            root = MAPPER.readTree(Files.readString(file));
        } catch (final JsonProcessingException e) {
            throw new InvalidReportException(file + ": not JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null
                || !root.path("retrievers").isObject()
                || !root.path("per_question").isArray()
                || !root.path("k").isArray()) {
            throw new InvalidReportException(file + ": not a report of continuum eval --json");
        }
        return root;
    }

    private static List<String> questionKeys(final JsonNode report) {
        final List<String> keys = new ArrayList<>();
        for (final JsonNode q : report.path("per_question")) {
            keys.add(q.path("conversation").asText() + '/' + q.path("id").asText());
        }
        return keys;
    }

    private static int cutOff(final JsonNode a, final JsonNode b, final Path before, final Path after) {
        final List<Integer> ka = new ArrayList<>();
        a.path("k").forEach(n -> ka.add(n.asInt()));
        int common = 0;
        for (final JsonNode n : b.path("k")) {
            if (ka.contains(n.asInt())) {
                if (n.asInt() == PREFERRED_K) {
                    return PREFERRED_K;
                }
                common = Math.max(common, n.asInt());
            }
        }
        if (common == 0) {
            throw new InvalidReportException(before + " and " + after + " share no cut-off k");
        }
        return common;
    }

    /** One line for a category: the metrics that moved, in points, or that none did. */
    private static void metrics(final StringBuilder text, final String category, final JsonNode a, final JsonNode b) {
        final List<String> moved = new ArrayList<>();
        for (final Iterator<Map.Entry<String, JsonNode>> fields = a.fields(); fields.hasNext(); ) {
            final Map.Entry<String, JsonNode> field = fields.next();
            final String metric = field.getKey();
            if (!(metric.startsWith("hit@") || metric.startsWith("recall_all@") || metric.equals("mrr"))
                    || !b.path(metric).isNumber()) {
                continue;
            }
            final double before = field.getValue().asDouble();
            final double after = b.path(metric).asDouble();
            if (Math.abs(after - before) > SAME) {
                moved.add(String.format(
                        Locale.ROOT, "%s %.3f -> %.3f (%+.1f)", metric, before, after, 100 * (after - before)));
            }
        }
        text.append(String.format(
                Locale.ROOT,
                "  %s (%d): %s%n",
                category,
                a.path("questions").asInt(),
                moved.isEmpty() ? "no change" : String.join(", ", moved)));
    }

    /** The questions whose evidence in the top {@code k} or first evidence rank moved, gains first. */
    private static void questions(
            final StringBuilder text, final String name, final JsonNode a, final JsonNode b, final int k) {
        final List<String> gained = new ArrayList<>();
        final List<String> lost = new ArrayList<>();
        final List<String> moved = new ArrayList<>();
        final Map<String, JsonNode> after = new HashMap<>();
        for (final JsonNode q : b) {
            after.put(q.path("conversation").asText() + '/' + q.path("id").asText(), q);
        }
        for (final JsonNode q : a) {
            final String key =
                    q.path("conversation").asText() + '/' + q.path("id").asText();
            final JsonNode resultA = q.path("results").path(name);
            final JsonNode resultB = after.get(key).path("results").path(name);
            if (resultA.isMissingNode() || resultB.isMissingNode()) {
                continue;
            }
            final int evidence = q.path("evidence").size();
            final int foundA = found(q.path("evidence"), resultA.path("ranking"), k);
            final int foundB = found(q.path("evidence"), resultB.path("ranking"), k);
            final int firstA = resultA.path("first_rank").asInt();
            final int firstB = resultB.path("first_rank").asInt();
            if (foundA == foundB && firstA == firstB) {
                continue;
            }
            final String line = String.format(
                    Locale.ROOT,
                    "    %s %s: %d -> %d of %d in the top %d, first evidence at %s -> %s: %s%n",
                    key,
                    q.path("category").asText(),
                    foundA,
                    foundB,
                    evidence,
                    k,
                    rank(firstA),
                    rank(firstB),
                    q.path("question").asText());
            (foundB > foundA ? gained : foundB < foundA ? lost : moved).add(line);
        }
        text.append(String.format(
                Locale.ROOT,
                "  questions: %d found more evidence in the top %d, %d found less, %d moved only their first"
                        + " evidence%n",
                gained.size(),
                k,
                lost.size(),
                moved.size()));
        gained.forEach(text::append);
        lost.forEach(text::append);
        moved.forEach(text::append);
    }

    private static int found(final JsonNode evidence, final JsonNode ranking, final int k) {
        final List<String> top = new ArrayList<>();
        for (int i = 0; i < Math.min(k, ranking.size()); i++) {
            top.add(ranking.get(i).asText());
        }
        int found = 0;
        for (final JsonNode e : evidence) {
            if (top.contains(e.asText())) {
                found++;
            }
        }
        return found;
    }

    /** A first rank as the report writes it (0: no evidence in the ranking). */
    private static String rank(final int first) {
        return first == 0 ? "-" : Integer.toString(first);
    }
}
