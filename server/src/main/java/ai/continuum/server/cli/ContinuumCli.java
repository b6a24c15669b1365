package ai.continuum.server.cli;

import ai.continuum.server.config.ConfigException;
import ai.continuum.server.core.Version;
import ai.continuum.server.logging.LogSetup;
import ai.continuum.server.storage.StorageUnavailableException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code continuum}: the entry point of the jar. Exit codes: 0 success, 1 failure (the message names the cause; no
 * stack trace unless {@code --verbose}), 2 usage error, 3 {@code verify} found a broken chain.
 */
@Command(
        name = "continuum",
        mixinStandardHelpOptions = true,
        versionProvider = ContinuumCli.VersionProvider.class,
        description = "Memory for AI agents: learn from conversation turns, recall related concepts and memories.",
        footer = {"", "Recall quality against a BM25 baseline: ./continuum eval --help (a separate tool, eval/).%n"},
        subcommands = {
            ServeCommand.class,
            LearnCommand.class,
            RecallCommand.class,
            StatsCommand.class,
            KeysCommand.class,
            DoctorCommand.class,
            ExportCommand.class,
            ImportCommand.class,
            MigrateCommand.class,
            VerifyCommand.class,
            OptimizeCommand.class,
            PruneCommand.class,
            McpCommand.class,
            HealthCommand.class,
            FederationCommand.class,
            CommandLine.HelpCommand.class
        })
public final class ContinuumCli {

    public static void main(final String[] args) {
        LogSetup.installManager();
        System.exit(run(args));
    }

    /** Runs one command line and returns its exit code (used by tests). */
    public static int run(final String... args) {
        final boolean verbose = Arrays.asList(args).contains("--verbose");
        final boolean serving = args.length > 0 && "serve".equals(args[0]);
        if (!serving) {
            LogSetup.apply("text", verbose ? "info" : "warn");
        }
        final CommandLine cli = new CommandLine(new ContinuumCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            final boolean expected = e instanceof ConfigException
                    || e instanceof IllegalArgumentException
                    || e instanceof IllegalStateException
                    || e instanceof UncheckedIOException
                    || e instanceof StorageUnavailableException;
            commandLine.getErr().println("continuum: " + (expected ? e.getMessage() : e.toString()));
            if (verbose || !expected) {
                e.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        return cli.execute(args);
    }

    /** Prints the jar's version. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"continuum " + Version.current()};
        }
    }
}
