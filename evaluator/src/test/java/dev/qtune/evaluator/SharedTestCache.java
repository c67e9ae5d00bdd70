package dev.qtune.evaluator;

import dev.qtune.evaluator.calibration.CalibrationCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The cache folder the test run shares (calibration statistics, native builds, layer objects,
 * kernel libraries): {@code qtune.cache.dir}, which surefire sets (see the parent pom), else one
 * temporary folder per JVM. A model, config and target that one test class compiled are found by
 * the next. Tests of the cache itself keep folders of their own.
 */
public final class SharedTestCache {
    private static final Path DIR = resolve();

    private SharedTestCache() {}

    public static Path dir() {
        return DIR;
    }

    private static Path resolve() {
        String shared = System.getProperty(CalibrationCache.PROPERTY);
        if (shared != null && !shared.isBlank()) {
            return Path.of(shared);
        }
        try {
            return Files.createTempDirectory("qtune-test-cache-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary cache folder", e);
        }
    }
}
