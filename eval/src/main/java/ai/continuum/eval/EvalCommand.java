package ai.continuum.eval;

import ai.continuum.engine.EngineConfig;
import ai.continuum.semantic.MiniLmEmbedder;
import ai.continuum.semantic.StaticMiniLmEmbedder;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code continuum eval}: measures recall quality and latency on a labelled dataset, Continuum against a Lucene BM25
 * baseline, or generates the synthetic dataset. Exit codes: 0 done, 1 bad input (dataset, options), 2 usage error.
 */
@Command(
        name = "continuum eval",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Evaluates recall on a labelled dialogue dataset: every conversation is learned into a fresh tenant one turn "
                    + "per learn call, every question is recalled, and hit@k, recall_all@k, MRR and recall latency are "
                    + "reported overall and per category, side by side with a Lucene BM25 baseline over the same turns.",
            "With --generate-synthetic or --generate-hard, writes a deterministic generated dataset instead.",
            "With --compare BEFORE.json AFTER.json, shows what changed between two --json reports of one dataset."
        })
public final class EvalCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "DATASET.json",
            description = "Dataset file (format: benchmarks/eval/README.md).")
    private Path dataset;

    @Option(
            names = "--k",
            split = ",",
            paramLabel = "K",
            defaultValue = "1,5,10,20",
            description = "Cut-offs for hit@k and recall_all@k, 1..100 (default: ${DEFAULT-VALUE}).")
    private List<Integer> ks;

    @Option(names = "--json", paramLabel = "OUT", description = "Also write every figure, per question too, as JSON.")
    private Path jsonOut;

    @Option(
            names = "--retrievers",
            split = ",",
            paramLabel = "NAME",
            defaultValue = "continuum,bm25",
            description = "Systems to evaluate, in column order: continuum, continuum-semantic (with the semantic "
                    + "index), continuum-semantic-static (with its light model), bm25 (default: ${DEFAULT-VALUE}).")
    private List<String> retrievers;

    @Option(
            names = "--max-concepts",
            paramLabel = "N",
            defaultValue = "10",
            description = "Concepts recall activates before ranking memories, 1..100 (default: ${DEFAULT-VALUE}).")
    private int maxConcepts;

    @Option(
            names = "--warmup",
            paramLabel = "PASSES",
            defaultValue = "1",
            description =
                    "Unmeasured passes over each conversation's questions before timing (default: ${DEFAULT-VALUE}).")
    private int warmupPasses;

    @Option(
            names = "--compare",
            arity = "2",
            paramLabel = "REPORT.json",
            description = "Compare two --json reports of the same dataset, BEFORE then AFTER: every metric that moved, "
                    + "per retriever and category, and every question whose evidence in the top 10 or first "
                    + "evidence rank changed. No dataset is run.")
    private List<Path> compare;

    @Option(
            names = "--generate-synthetic",
            paramLabel = "OUT",
            description = "Write a synthetic dataset to OUT and exit.")
    private Path syntheticOut;

    @Option(
            names = "--generate-hard",
            paramLabel = "OUT",
            description = "Write the hard set (multi-hop over sessions, paraphrase, knowledge-update, temporal) of "
                    + "--split to OUT and exit.")
    private Path hardOut;

    @Option(
            names = "--split",
            paramLabel = "NAME",
            defaultValue = "dev",
            description = "Vocabulary of --generate-hard: dev or held-out (disjoint names and things; "
                    + "default: ${DEFAULT-VALUE}).")
    private String split;

    @Option(
            names = "--conversations",
            paramLabel = "N",
            defaultValue = "8",
            description = "Conversations of --generate-hard (default: ${DEFAULT-VALUE}).")
    private int hardConversations;

    @Option(
            names = "--turns",
            paramLabel = "N",
            defaultValue = "12000",
            description = "Synthetic turns in all (default: ${DEFAULT-VALUE}).")
    private int syntheticTurns;

    @Option(
            names = "--turns-per-conversation",
            paramLabel = "N",
            defaultValue = "2000",
            description = "Synthetic turns per conversation (default: ${DEFAULT-VALUE}).")
    private int turnsPerConversation;

    @Option(
            names = "--seed",
            paramLabel = "S",
            defaultValue = "42",
            description = "Seed of the synthetic generator (default: ${DEFAULT-VALUE}).")
    private long seed;

    public static void main(final String[] args) {
        System.exit(new CommandLine(new EvalCommand()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        try {
            if (syntheticOut != null) {
                return write(
                        out, syntheticOut, SyntheticDialogues.generate(syntheticTurns, turnsPerConversation, seed));
            }
            if (hardOut != null) {
                return write(
                        out,
                        hardOut,
                        HardDialogues.generate(HardDialogues.Split.parse(split), hardConversations, seed));
            }
            if (compare != null) {
                if (dataset != null) {
                    throw new CommandLine.ParameterException(
                            spec.commandLine(), "--compare reads two reports; give no DATASET.json with it");
                }
                out.print(ReportComparison.compare(compare.get(0), compare.get(1)));
                out.flush();
                return 0;
            }
            if (dataset == null) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "Missing DATASET.json (or use --generate-synthetic OUT, --generate-hard OUT or --compare A B)");
            }
            return evaluate(out, err);
        } catch (final EvalDataset.InvalidDatasetException | IllegalArgumentException e) {
            return fail(err, e.getMessage());
        } catch (final IOException e) {
            // a file that went away or a full disk: the reason in one line, as for a bad dataset, not a stack trace
            return fail(err, describe(e));
        }
    }

    /** The file and the reason, whichever exception of {@code java.nio.file} says them. */
    private static String describe(final IOException e) {
        if (e instanceof NoSuchFileException missing) {
            return missing.getFile() + ": no such file or directory";
        }
        if (e instanceof AccessDeniedException denied) {
            return denied.getFile() + ": permission denied";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static int fail(final PrintWriter err, final String message) {
        err.println("continuum eval: " + message);
        err.flush();
        return 1;
    }

    private int write(final PrintWriter out, final Path file, final EvalDataset generated) throws IOException {
        final Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        writing(file, () -> Files.writeString(file, generated.toJson()));
        out.printf(
                "wrote %s: %d conversations, %d turns, %d questions (seed %d)%n",
                file, generated.conversations().size(), generated.turnCount(), generated.questionCount(), seed);
        out.flush();
        return 0;
    }

    private int evaluate(final PrintWriter out, final PrintWriter err) throws IOException {
        final EvalDataset data = EvalDataset.read(dataset);
        final Evaluator evaluator = new Evaluator(ks, warmupPasses, System::nanoTime, line -> {
            err.println(line);
            err.flush();
        });
        final List<Evaluator.RetrieverRun> runs = new ArrayList<>();
        for (final String name : retrievers) {
            try (Retriever retriever = retriever(name.trim())) {
                runs.add(evaluator.run(data, retriever));
            }
        }
        final String label = dataset.toString();
        out.print(ReportTable.format(label, data, evaluator.ks(), runs));
        out.flush();
        if (jsonOut != null) {
            writing(jsonOut, () -> JsonReport.write(jsonOut, label, data, evaluator.ks(), runs));
            err.println("wrote " + jsonOut);
            err.flush();
        }
        return 0;
    }

    /** Runs {@code write}; an {@link IOException} without the file's name (a full disk, say) gets it. */
    private static void writing(final Path file, final FileWrite write) throws IOException {
        try {
            write.run();
        } catch (final FileSystemException | FileNotFoundException e) {
            throw e; // both name the file already
        } catch (final IOException e) {
            throw new IOException(file + ": " + describe(e), e);
        }
    }

    @FunctionalInterface
    private interface FileWrite {
        void run() throws IOException;
    }

    private Retriever retriever(final String name) {
        return switch (name) {
            case "continuum" -> new ContinuumRetriever(EngineConfig.defaults(), maxConcepts);
            case "continuum-semantic" ->
                new ContinuumRetriever(EngineConfig.defaults(), maxConcepts, new MiniLmEmbedder(), name);
            case "continuum-semantic-static" ->
                new ContinuumRetriever(EngineConfig.defaults(), maxConcepts, new StaticMiniLmEmbedder(), name);
            case "bm25" -> new Bm25Retriever();
            default ->
                throw new IllegalArgumentException("unknown retriever \"" + name
                        + "\"; known: continuum, continuum-semantic, continuum-semantic-static, bm25");
        };
    }
}
