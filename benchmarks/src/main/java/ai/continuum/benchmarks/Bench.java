package ai.continuum.benchmarks;

import ai.continuum.benchmarks.smoke.SmokeCheck;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Main class of {@code benchmarks.jar}. Runs JMH with the engine's JVM flags appended to every fork, so that
 * {@code java -jar benchmarks.jar [JMH options] [include regex]} needs no flags by hand. Every JMH command-line option
 * works as usual ({@code -wi -i -w -r -f -p -prof -rf -rff -l -lprof -h}); a {@code -jvmArgsAppend} given on the
 * command line is added after the engine's flags rather than replacing them.
 *
 * <p>Further commands: {@code footprint [size] [--apply]} runs {@link Footprint}, {@code restore-times [size]
 * [rounds]} runs {@link RestoreTimes} and {@code smoke-check ...} runs {@link SmokeCheck}, all in this JVM.
 */
public final class Bench {
    private Bench() {}

    public static void main(final String[] args) throws RunnerException, IOException {
        if (args.length > 0 && "footprint".equals(args[0])) {
            Footprint.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && "restore-times".equals(args[0])) {
            RestoreTimes.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && "smoke-check".equals(args[0])) {
            SmokeCheck.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        final CommandLineOptions cli;
        try {
            cli = new CommandLineOptions(args);
        } catch (final CommandLineOptionException e) {
            System.err.println("Error parsing command line: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (cli.shouldHelp()) {
            cli.showHelp();
            System.out.println();
            System.out.println("Also: footprint [100k/500k|1M/5M] [--apply]");
            System.out.println("      restore-times [100k/500k|1M/5M] [rounds]");
            System.out.println(
                    "      smoke-check <results.json> <baseline.json> [--max-slowdown N]" + " [--write-baseline]");
            return;
        }
        if (cli.shouldList()
                || cli.shouldListWithParams()
                || cli.shouldListProfilers()
                || cli.shouldListResultFormats()) {
            listings(cli);
            return;
        }
        final List<String> append = new ArrayList<>(JvmFlags.load());
        if (cli.getJvmArgsAppend().hasValue()) {
            append.addAll(cli.getJvmArgsAppend().get());
        }
        final Options options = new OptionsBuilder()
                .parent(cli)
                .jvmArgsAppend(append.toArray(String[]::new))
                .build();
        new Runner(options).run();
    }

    private static void listings(final CommandLineOptions cli) {
        final Runner runner = new Runner(cli);
        if (cli.shouldList()) {
            runner.list();
        }
        if (cli.shouldListWithParams()) {
            runner.listWithParams(cli);
        }
        if (cli.shouldListProfilers()) {
            cli.listProfilers();
        }
        if (cli.shouldListResultFormats()) {
            cli.listResultFormats();
        }
    }
}
