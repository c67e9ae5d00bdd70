package dev.qtune.experiments.cli;

import dev.qtune.evaluator.calibration.CalibrationCache;
import java.nio.file.Path;

/**
 * Tests of the cache's own behaviour (a miss, then a hit) point {@code qtune.cache.dir} at a
 * private folder, and then give back the folder the test run shares (surefire sets it; see the
 * parent pom), so that the tests after them keep finding what earlier ones compiled.
 */
final class CacheProperty {
    private static final String SHARED = System.getProperty(CalibrationCache.PROPERTY);

    private CacheProperty() {}

    static void usePrivate(Path dir) {
        System.setProperty(CalibrationCache.PROPERTY, dir.toString());
    }

    static void restoreShared() {
        if (SHARED == null) {
            System.clearProperty(CalibrationCache.PROPERTY);
        } else {
            System.setProperty(CalibrationCache.PROPERTY, SHARED);
        }
    }
}
