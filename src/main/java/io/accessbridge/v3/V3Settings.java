package io.accessbridge.v3;

import io.accessbridge.config.BridgeProperties;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Bridge-wide settings of legacy v3.x devices; per-device settings (page size, interval, first
 * contact) are in the inventory.
 *
 * @param checkpointDir           directory of the file checkpoint store ({@code bridge.checkpoint.dir}, default {@code data/checkpoints})
 * @param checkpointStore         {@code file} (default), {@code memory}, or the class name of a
 *                                {@link io.accessbridge.checkpoint.CheckpointStore} with a public no-argument constructor ({@code bridge.checkpoint.store})
 * @param maxConcurrentPolls      devices polled at the same time, at most ({@code bridge.v3.max-concurrent-polls}, default 4)
 * @param reportPath              path of the {@code event-report} receiver ({@code bridge.v3.report.path}, default {@code /v3/events})
 * @param connectTimeout          TCP connect timeout of device calls ({@code bridge.v3.connect-timeout-ms}, default 5000)
 * @param requestTimeout          time a device has to answer one call ({@code bridge.v3.request-timeout-ms}, default 10000)
 * @param backoffInitialMs        pause after the first failed poll ({@code bridge.v3.backoff.initial-ms}, default 1000)
 * @param backoffMaxMs            longest pause between failed polls; the pause doubles up to it ({@code bridge.v3.backoff.max-ms}, default 60000)
 * @param maxPagesPerCycle        pages fetched per poll before the device yields to others ({@code bridge.v3.max-pages-per-cycle}, default 50)
 * @param haltAfterPublishedPages test only: halt the JVM right after this many pages were published
 *                                and before their checkpoint is saved ({@code bridge.v3.test.halt-after-pages}, 0 = never)
 */
public record V3Settings(Path checkpointDir, String checkpointStore, int maxConcurrentPolls, String reportPath,
                         Duration connectTimeout, Duration requestTimeout, long backoffInitialMs, long backoffMaxMs,
                         int maxPagesPerCycle, int haltAfterPublishedPages) {

    public V3Settings {
        if (maxConcurrentPolls <= 0) {
            throw new IllegalStateException("setting bridge.v3.max-concurrent-polls must be positive");
        }
        if (backoffInitialMs <= 0 || backoffMaxMs < backoffInitialMs) {
            throw new IllegalStateException("settings bridge.v3.backoff.*: need 0 < initial-ms <= max-ms");
        }
        if (maxPagesPerCycle <= 0) {
            throw new IllegalStateException("setting bridge.v3.max-pages-per-cycle must be positive");
        }
    }

    /** Reads the settings. */
    public static V3Settings from(BridgeProperties p) {
        return new V3Settings(
                Path.of(p.string("bridge.checkpoint.dir", "data/checkpoints")),
                p.string("bridge.checkpoint.store", "file"),
                p.integer("bridge.v3.max-concurrent-polls", 4),
                p.string("bridge.v3.report.path", "/v3/events"),
                Duration.ofMillis(p.longValue("bridge.v3.connect-timeout-ms", 5000)),
                Duration.ofMillis(p.longValue("bridge.v3.request-timeout-ms", 10000)),
                p.longValue("bridge.v3.backoff.initial-ms", 1000),
                p.longValue("bridge.v3.backoff.max-ms", 60000),
                p.integer("bridge.v3.max-pages-per-cycle", 50),
                p.integer("bridge.v3.test.halt-after-pages", 0));
    }
}
