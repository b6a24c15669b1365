package ai.continuum.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EvalCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args) {
        final CommandLine command = new CommandLine(new EvalCommand());
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        return command.execute(args);
    }

    @Test
    void shouldPrintTableAndWriteJsonWhenDatasetIsValid() throws IOException {
        final Path dataset = Files.writeString(dir.resolve("d.json"), EvalDatasetTest.VALID);
        final Path json = dir.resolve("out/report.json");

        assertEquals(0, run(dataset.toString(), "--retrievers", "bm25", "--k", "1,2", "--json", json.toString()));

        final String table = out.toString();
        assertTrue(table.contains("1 conversations, 2 turns, 2 questions"), table);
        assertTrue(table.contains("hit@2"), table);
        assertTrue(table.contains("recall_all@1"), table);
        assertTrue(table.contains("single-hop (n=1)"), table);
        final JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertEquals(2, report.get("questions").asInt());
        assertEquals(
                1.0, report.at("/retrievers/bm25/categories/single-hop/hit@1").asDouble(), 1e-12);
        assertEquals("t1", report.at("/per_question/0/results/bm25/ranking/0").asText());
    }

    @Test
    void shouldShowTheMetricsAndQuestionsThatMovedBetweenTwoReports() throws IOException {
        final Path dataset = Files.writeString(dir.resolve("d.json"), EvalDatasetTest.VALID);
        final Path before = dir.resolve("before.json");
        assertEquals(0, run(dataset.toString(), "--retrievers", "bm25", "--k", "1,2", "--json", before.toString()));
        // the "after" run lost the first question's evidence: its ranking reversed, its figures with it
        final ObjectMapper mapper = new ObjectMapper();
        final ObjectNode report = (ObjectNode) mapper.readTree(before.toFile());
        final ObjectNode result = (ObjectNode) report.at("/per_question/0/results/bm25");
        result.putArray("ranking").add("t2");
        result.put("first_rank", 0);
        ((ObjectNode) report.at("/retrievers/bm25/overall")).put("hit@1", 0.5);
        final Path after = dir.resolve("after.json");
        mapper.writeValue(after.toFile(), report);
        out.getBuffer().setLength(0);

        assertEquals(0, run("--compare", before.toString(), after.toString()));

        final String text = out.toString();
        assertTrue(text.contains("2 questions; questions compared at 2"), text);
        assertTrue(text.contains("all (2): hit@1 1.000 -> 0.500 (-50.0)"), text);
        assertTrue(text.contains("0 found more evidence in the top 2, 1 found less, 0 moved only"), text);
        assertTrue(text.contains("1 -> 0 of 1 in the top 2, first evidence at 1 -> -"), text);
        assertEquals(0, run("--compare", before.toString(), before.toString()));
        assertTrue(out.toString().contains("0 found more evidence in the top 2, 0 found less"), out.toString());
    }

    @Test
    void shouldExitOneWhenComparedReportsAreOfDifferentQuestionsOrNotReports() throws IOException {
        final Path dataset = Files.writeString(dir.resolve("d.json"), EvalDatasetTest.VALID);
        final Path report = dir.resolve("r.json");
        assertEquals(0, run(dataset.toString(), "--retrievers", "bm25", "--json", report.toString()));
        final ObjectMapper mapper = new ObjectMapper();
        final ObjectNode other = (ObjectNode) mapper.readTree(report.toFile());
        ((ArrayNode) other.get("per_question")).remove(1);
        final Path fewer = dir.resolve("fewer.json");
        mapper.writeValue(fewer.toFile(), other);

        assertEquals(1, run("--compare", report.toString(), fewer.toString()));
        assertTrue(err.toString().contains("reports of different questions"), err.toString());
        assertEquals(1, run("--compare", report.toString(), dataset.toString()));
        assertTrue(err.toString().contains("not a report of continuum eval --json"), err.toString());
        assertEquals(
                1,
                run("--compare", report.toString(), dir.resolve("missing.json").toString()));
        assertTrue(err.toString().contains("missing.json: no such file or directory"), err.toString());
        assertEquals(2, run(dataset.toString(), "--compare", report.toString(), report.toString()));
    }

    @Test
    void shouldExitOneWithThePathWhenDatasetIsInvalid() throws IOException {
        final String bad = EvalDatasetTest.VALID.replace("\"t1\"]", "\"t9\"]");
        final Path dataset = Files.writeString(dir.resolve("bad.json"), bad);

        assertEquals(1, run(dataset.toString(), "--retrievers", "bm25"));
        assertTrue(err.toString().contains("unknown turn id \"t9\""), err.toString());
    }

    @Test
    void shouldExitOneWithThePathWhenDatasetIsMissingOrADirectory() {
        final Path missing = dir.resolve("missing.json");

        assertEquals(1, run(missing.toString(), "--retrievers", "bm25"));
        assertEquals(
                "continuum eval: " + missing + ": not a readable file",
                err.toString().strip());

        err.getBuffer().setLength(0);
        assertEquals(1, run(dir.toString(), "--retrievers", "bm25"));
        assertEquals(
                "continuum eval: " + dir + ": not a readable file",
                err.toString().strip());
    }

    @Test
    void shouldExitOneWithThePathWhenTheJsonReportCannotBeWritten() throws IOException {
        final Path dataset = Files.writeString(dir.resolve("d.json"), EvalDatasetTest.VALID);
        final Path taken = Files.createDirectories(dir.resolve("taken"));

        assertEquals(1, run(dataset.toString(), "--retrievers", "bm25", "--json", taken.toString()));
        final String all = err.toString().strip();
        final String message = all.substring(all.lastIndexOf('\n') + 1); // after the progress lines
        assertTrue(message.startsWith("continuum eval: " + taken), message);
        assertTrue(message.contains("Is a directory") && !message.contains("\tat "), message);
        assertEquals(message.indexOf(taken.toString()), message.lastIndexOf(taken.toString()), message);
    }

    @Test
    void shouldExitOneWhenRetrieverIsUnknown() throws IOException {
        final Path dataset = Files.writeString(dir.resolve("d.json"), EvalDatasetTest.VALID);

        assertEquals(1, run(dataset.toString(), "--retrievers", "grep"));
        assertTrue(err.toString().contains("unknown retriever \"grep\""), err.toString());
    }

    @Test
    void shouldExitTwoWhenNoDatasetIsGiven() {
        assertEquals(2, run());
        assertTrue(err.toString().contains("Missing DATASET.json"), err.toString());
    }

    @Test
    void shouldWriteAReadableDatasetWhenGeneratingSynthetic() throws IOException {
        final Path file = dir.resolve("syn.json");

        assertEquals(
                0,
                run(
                        "--generate-synthetic",
                        file.toString(),
                        "--turns",
                        "600",
                        "--turns-per-conversation",
                        "300",
                        "--seed",
                        "9"));

        final EvalDataset dataset = EvalDataset.read(file);
        assertEquals(600, dataset.turnCount());
        assertEquals(2, dataset.conversations().size());
        assertTrue(out.toString().contains("600 turns"), out.toString());
    }
}
