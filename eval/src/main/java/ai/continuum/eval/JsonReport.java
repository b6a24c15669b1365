package ai.continuum.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Every figure of an evaluation as JSON: dataset sizes, the cut-offs, per retriever the overall and per-category
 * metrics, and per question each retriever's ranking, first evidence rank and latency, so misses can be studied
 * without re-running. Stateless.
 */
public final class JsonReport {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {}

    public static void write(
            final Path out,
            final String datasetLabel,
            final EvalDataset dataset,
            final List<Integer> ks,
            final List<Evaluator.RetrieverRun> runs)
            throws IOException {
        final Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        MAPPER.writeValue(out.toFile(), tree(datasetLabel, dataset, ks, runs));
    }

    static ObjectNode tree(
            final String datasetLabel,
            final EvalDataset dataset,
            final List<Integer> ks,
            final List<Evaluator.RetrieverRun> runs) {
        final ObjectNode root = MAPPER.createObjectNode();
        root.put("dataset", datasetLabel);
        root.put("conversations", dataset.conversations().size());
        root.put("turns", dataset.turnCount());
        root.put("questions", dataset.questionCount());
        final ArrayNode kArray = root.putArray("k");
        ks.forEach(kArray::add);
        final ObjectNode retrievers = root.putObject("retrievers");
        for (final Evaluator.RetrieverRun run : runs) {
            final ObjectNode node = retrievers.putObject(run.name());
            node.put("index_millis", run.indexMillis());
            metrics(node.putObject("overall"), run.overall());
            final ObjectNode categories = node.putObject("categories");
            for (final Map.Entry<String, Metrics> entry : run.byCategory().entrySet()) {
                metrics(categories.putObject(entry.getKey()), entry.getValue());
            }
        }
        final ArrayNode questions = root.putArray("per_question");
        int index = 0;
        for (final EvalDataset.Conversation conversation : dataset.conversations()) {
            for (final EvalDataset.Question question : conversation.questions()) {
                final ObjectNode node = questions.addObject();
                node.put("conversation", conversation.id());
                node.put("id", question.id());
                node.put("category", question.category());
                node.put("question", question.question());
                final ArrayNode evidence = node.putArray("evidence");
                question.evidence().forEach(evidence::add);
                final ObjectNode results = node.putObject("results");
                for (final Evaluator.RetrieverRun run : runs) {
                    final QuestionOutcome outcome = run.outcomes().get(index);
                    final ObjectNode result = results.putObject(run.name());
                    result.put("first_rank", outcome.firstRank());
                    result.put("latency_us", outcome.latencyNanos() / 1_000.0);
                    final ArrayNode ranking = result.putArray("ranking");
                    outcome.ranking().forEach(ranking::add);
                }
                index++;
            }
        }
        return root;
    }

    private static void metrics(final ObjectNode node, final Metrics metrics) {
        node.put("questions", metrics.questions());
        metrics.hitAt().forEach((k, v) -> node.put("hit@" + k, v));
        metrics.recallAllAt().forEach((k, v) -> node.put("recall_all@" + k, v));
        node.put("mrr", metrics.mrr());
        node.put("latency_p50_us", metrics.p50Micros());
        node.put("latency_p99_us", metrics.p99Micros());
    }
}
