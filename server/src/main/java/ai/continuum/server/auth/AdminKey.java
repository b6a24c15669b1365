package ai.continuum.server.auth;

import ai.continuum.server.config.ServerConfig;
import ai.continuum.server.logging.Terminal;
import ai.continuum.server.storage.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * Where the admin key comes from: {@code CONTINUUM_ADMIN_KEY} (or its {@code _FILE} variant) when set; otherwise
 * {@code <dataDir>/admin.key}, generated on first start with owner-only permissions (600) and announced once (the key
 * itself only on a terminal).
 */
public final class AdminKey {
    public static final String FILE_NAME = "admin.key";

    private AdminKey() {}

    /**
     * As {@link #resolve(ServerConfig, Consumer, boolean)}, showing a new key only when standard output is a terminal:
     * otherwise it is probably collected as logs (a container's), where a secret must not land.
     */
    public static String resolve(final ServerConfig config, final Consumer<String> announce) {
        return resolve(config, announce, Terminal.attached());
    }

    /**
     * The admin key: the configured one, else the one stored in the data directory, else a newly generated one.
     *
     * @param announce receives the one-time message about a newly generated key (printed to the console by the
     *                 server): the key itself when {@code showKey}, else only the file that holds it.
     */
    public static String resolve(final ServerConfig config, final Consumer<String> announce, final boolean showKey) {
        if (!config.adminKey().isEmpty()) {
            return config.adminKey();
        }
        final Path file = config.dataDir().resolve(FILE_NAME);
        try {
            if (Files.exists(file)) {
                final String key =
                        Files.readString(file, StandardCharsets.UTF_8).strip();
                if (key.length() < 16) {
                    throw new IllegalStateException(file + " holds no usable admin key (shorter than 16 characters); "
                            + "delete it to generate a new one");
                }
                return key;
            }
            OwnerOnly.directory(config.dataDir());
            final String key = ApiKeyFormat.generate().fullKey();
            write(file, key);
            AuditLog.adminKeyGenerated(file.toString());
            announce.accept(
                    showKey
                            ? "Generated the admin key (shown once; also stored in " + file + " with mode 600):\n  "
                                    + key
                            : "Generated the admin key and stored it in " + file
                                    + " (mode 600); read it from there (it is not "
                                    + "printed because standard output is not a terminal and may be kept as logs)");
            return key;
        } catch (final FileAlreadyExistsException e) {
            return resolve(config, announce, showKey);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read or create the admin key file " + file, e);
        }
    }

    private static void write(final Path file, final String key) throws IOException {
        OwnerOnly.newFile(file);
        Files.writeString(file, key + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
