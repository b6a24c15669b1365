package ai.continuum.server.auth;

import ai.continuum.server.config.ServerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Consumer;

/**
 * Where the admin key comes from: {@code CONTINUUM_ADMIN_KEY} (or its {@code _FILE} variant) when set; otherwise
 * {@code <dataDir>/admin.key}, generated on first start with owner-only permissions (600) and announced once.
 */
public final class AdminKey {
    public static final String FILE_NAME = "admin.key";

    private AdminKey() {
    }

    /**
     * @param announce receives the one-time message with a newly generated key (printed to the console by the server).
     */
    public static String resolve(final ServerConfig config, final Consumer<String> announce) {
        if (!config.adminKey().isEmpty()) {
            return config.adminKey();
        }
        final Path file = config.dataDir().resolve(FILE_NAME);
        try {
            if (Files.exists(file)) {
                final String key = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (key.length() < 16) {
                    throw new IllegalStateException(file + " holds no usable admin key (shorter than 16 characters); "
                        + "delete it to generate a new one");
                }
                return key;
            }
            Files.createDirectories(config.dataDir());
            final String key = ApiKeyFormat.generate().fullKey();
            write(file, key);
            AuditLog.adminKeyGenerated(file.toString());
            announce.accept("Generated the admin key (shown once; also stored in " + file + " with mode 600):\n  "
                + key);
            return key;
        } catch (final FileAlreadyExistsException e) {
            return resolve(config, announce);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read or create the admin key file " + file, e);
        }
    }

    private static void write(final Path file, final String key) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (final UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, key + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
