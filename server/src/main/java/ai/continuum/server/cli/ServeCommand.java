package ai.continuum.server.cli;

import ai.continuum.server.ContinuumServer;
import ai.continuum.server.config.ConfigKey;
import ai.continuum.server.config.ServerConfig;
import ai.continuum.server.logging.LogSetup;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code continuum serve}: runs the HTTP service until SIGTERM or SIGINT, then shuts down gracefully and exits 0:
 * readiness 503 first, requests still served for {@code server.shutdown-drain-seconds}, then new requests refused,
 * in-flight ones answered, the write queue committed (see {@link ContinuumServer#drainAndClose()}).
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the Continuum HTTP service.")
final class ServeCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--host", paramLabel = "HOST", description = "Interface to bind (default 127.0.0.1).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "Port (default 8420; 0 picks a free one).")
    Integer port;

    @Option(names = "--log-format", paramLabel = "FORMAT", description = "text or json.")
    String logFormat;

    @Option(names = "--log-level", paramLabel = "LEVEL", description = "error, warn, info, debug or trace.")
    String logLevel;

    @Override
    public Integer call() throws InterruptedException {
        final Map<ConfigKey, String> flags = new EnumMap<>(ConfigKey.class);
        if (host != null) {
            flags.put(ConfigKey.HOST, host);
        }
        if (port != null) {
            flags.put(ConfigKey.PORT, port.toString());
        }
        if (logFormat != null) {
            flags.put(ConfigKey.LOG_FORMAT, logFormat);
        }
        if (logLevel != null) {
            flags.put(ConfigKey.LOG_LEVEL, logLevel);
        }
        final ServerConfig config = options.load(flags);
        LogSetup.apply(config.logFormat(), config.logLevel());
        final ContinuumServer server = ContinuumServer.start(config, message -> System.out.println(message));
        System.out.println("Continuum listening on http://" + config.host() + ":" + server.port());
        System.out.flush();
        final CountDownLatch stop = new CountDownLatch(1);
        final CountDownLatch stopped = new CountDownLatch(1);
        // Also for an exit that is not a signal we handle (System.exit, or signals unavailable); close() is
        // idempotent, so after a graceful stop the hook does nothing.
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            stopped.countDown();
                        },
                        "continuum-shutdown"));
        if (StopSignals.install(stop)) {
            stop.await();
            server.drainAndClose();
        } else {
            stopped.await();
        }
        return 0;
    }
}
