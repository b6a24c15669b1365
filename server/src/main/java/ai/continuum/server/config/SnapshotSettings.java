package ai.continuum.server.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Engine snapshots: where they live and how often one is taken.
 *
 * @param dir             the snapshot directory: local disk, or a volume the instances share so a new one finds the
 *                        fleet's latest snapshot. Default {@code <data-dir>/snapshots}.
 * @param intervalSeconds a checkpoint is taken this long after the last snapshot; 0 takes none (an existing snapshot
 *                        is still restored).
 * @param checkpointEngine which engine a checkpoint writes: {@code separate} (a second engine built for it; learns
 *                        never wait), {@code serving} (the serving engine; learns wait for the dump) or {@code auto}
 *                        (the serving engine when there is no room for a second one).
 * @param restore         whether a start loads the snapshot; false always rebuilds from the database.
 */
public record SnapshotSettings(Path dir, long intervalSeconds, String checkpointEngine, boolean restore) {
    public SnapshotSettings {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(checkpointEngine, "checkpointEngine");
        if (intervalSeconds < 0) {
            throw new IllegalArgumentException("intervalSeconds=" + intervalSeconds + " must be >= 0");
        }
    }
}
