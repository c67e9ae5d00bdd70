package dev.qtune.evaluator.calibration;

import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.quant.CalibrationStats;
import dev.qtune.compiler.quant.CalibrationStatsCodec;
import dev.qtune.compiler.quant.TensorStats;
import dev.qtune.targets.CacheDir;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On-disk cache of {@link CalibrationStats}, keyed by (model hash, calibration data hash, samples):
 * statistics are collected once per model and calibration set and reused by every trial. Files
 * live in {@code <cacheDir>/calibration/}, named from the three keys, written atomically (a
 * temporary file in the same folder, then a move), in {@link CalibrationStatsCodec}'s format.
 *
 * <p>A cached file that cannot be read, or that holds the statistics of other keys, is reported
 * at WARN and recomputed; a cache folder that cannot be written is reported at WARN and the
 * computed statistics are still returned. Callers in one JVM asking for the same keys at once
 * compute them once; separate processes may both compute, and the last move wins.
 */
public final class CalibrationCache {
    /** The folder under the cache directory that holds calibration statistics. */
    public static final String FOLDER = "calibration";

    public static final String PROPERTY = "qtune.cache.dir";
    public static final String ENV = "QTUNE_CACHE";

    private static final Logger LOG = LoggerFactory.getLogger(CalibrationCache.class);
    private static final Map<Path, Object> LOCKS = new ConcurrentHashMap<>();

    private CalibrationCache() {}

    /** The statistics, whether they came from the cache, the seconds spent (reading or computing), and the file. */
    public record CachedStats(CalibrationStats stats, boolean hit, double seconds, Path file) {
        public CachedStats {
            Objects.requireNonNull(stats, "stats");
            Objects.requireNonNull(file, "file");
            if (!(seconds >= 0)) {
                throw new IllegalArgumentException("seconds must be >= 0, but was " + seconds);
            }
        }
    }

    /**
     * qtune's cache directory: the system property {@value #PROPERTY}, else the environment
     * variable {@value #ENV}, else {@code ~/.cache/qtune}. Calibration statistics go in its
     * {@value #FOLDER} folder.
     */
    public static Path defaultDir() {
        return resolveDir(System.getProperty(PROPERTY), System.getenv(ENV), System.getProperty("user.home"));
    }

    static Path resolveDir(String property, String env, String home) {
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(home, ".cache", "qtune");
    }

    /**
     * The cache file of the three keys: the statistics format version (so that builds with another
     * format, sharing the cache folder, neither read nor overwrite each other's files), readable
     * prefixes of the hashes, the samples and a digest of all three.
     */
    public static Path fileFor(Path cacheDir, String modelHash, String dataHash, int samples) {
        requireKey("model hash", modelHash);
        requireKey("data hash", dataHash);
        if (samples < 1) {
            throw new IllegalArgumentException("calibration samples must be >= 1, but was " + samples);
        }
        String keys = modelHash.length() + ":" + modelHash + "|" + dataHash.length() + ":" + dataHash + "|" + samples;
        String name = "stats-v" + CalibrationStatsCodec.VERSION + "-" + readable(modelHash) + "-" + readable(dataHash)
                + "-n" + samples + "-" + sha256(keys).substring(0, 24) + ".qcs";
        return cacheDir.resolve(FOLDER).resolve(name);
    }

    /**
     * The cached statistics of the keys, or {@code compute}'s, wrapped with the keys and cached.
     * {@code compute} is called only on a miss.
     */
    public static CachedStats getOrCompute(
            Path cacheDir, String modelHash, String dataHash, int samples, Supplier<Map<String, TensorStats>> compute) {
        Path file =
                fileFor(cacheDir, modelHash, dataHash, samples).toAbsolutePath().normalize();
        synchronized (LOCKS.computeIfAbsent(file, f -> new Object())) {
            long start = System.nanoTime();
            CalibrationStats cached = readIfValid(file, modelHash, dataHash, samples);
            if (cached != null) {
                LOG.info("calibration statistics cache hit: {}", file);
                return new CachedStats(cached, true, seconds(start), file);
            }
            start = System.nanoTime();
            Map<String, TensorStats> tensors = Objects.requireNonNull(
                    compute.get(), "calibration statistics supplier must return a map, but returned null");
            CalibrationStats stats = new CalibrationStats(modelHash, dataHash, samples, tensors);
            double seconds = seconds(start);
            if (writeAtomically(stats, file)) {
                LOG.info("calibration statistics computed in {} s, cached at {}", String.format("%.1f", seconds), file);
            }
            return new CachedStats(stats, false, seconds, file);
        }
    }

    private static CalibrationStats readIfValid(Path file, String modelHash, String dataHash, int samples) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            CalibrationStats s = CalibrationStatsCodec.read(file);
            if (s.modelHash().equals(modelHash) && s.dataHash().equals(dataHash) && s.samples() == samples) {
                return s;
            }
            LOG.warn(
                    "calibration statistics cache file {} holds model {}, data {}, {} samples instead of model {},"
                            + " data {}, {} samples; recomputing",
                    file,
                    s.modelHash(),
                    s.dataHash(),
                    s.samples(),
                    modelHash,
                    dataHash,
                    samples);
        } catch (QtuneException e) {
            LOG.warn("calibration statistics cache file is unusable, recomputing: {}", e.getMessage());
        }
        return null;
    }

    /** Writes through a temporary file in the same folder and a move; false (after a WARN) if that failed. */
    private static boolean writeAtomically(CalibrationStats stats, Path file) {
        Path tmp = null;
        try {
            CacheDir.secure(file.getParent().getParent(), FOLDER); // created private (0700)
            tmp = Files.createTempFile(file.getParent(), file.getFileName() + ".", ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                CalibrationStatsCodec.write(stats, out);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return true;
        } catch (IOException | QtuneException e) {
            LOG.warn(
                    "calibration statistics could not be cached at {} ({}); using them uncached", file, e.getMessage());
            deleteQuietly(tmp);
            return false;
        }
    }

    private static void deleteQuietly(Path tmp) {
        if (tmp == null) {
            return;
        }
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            LOG.warn("could not delete temporary file {}: {}", tmp, e.toString());
        }
    }

    private static void requireKey(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank, but was '" + value + "'");
        }
    }

    /** Up to 12 letters and digits of a key, so that a file name says what it holds. */
    private static String readable(String key) {
        String s = key.replaceAll("[^A-Za-z0-9]", "");
        return s.isEmpty() ? "x" : s.substring(0, Math.min(12, s.length()));
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 must be available in every JVM, but was not", e);
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
