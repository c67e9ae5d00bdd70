package dev.qtune.evaluator.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Finds the directory that holds the built-in datasets ({@code mnist/}, {@code fashion-mnist/}):
 * the system property {@value #PROPERTY}, else the environment variable {@value #ENV}, else the
 * first ancestor of the working directory (itself included) that has {@code data/mnist}, so that
 * it works from the repository root and from a module directory under Maven.
 */
public final class DataRoot {
    /** System property naming the data root. */
    public static final String PROPERTY = "qtune.data.dir";
    /** Environment variable naming the data root. */
    public static final String ENV = "QTUNE_DATA";

    private DataRoot() {}

    /** The data root of this process. */
    public static Path locate() {
        return locate(
                System.getProperty(PROPERTY), System.getenv(ENV), Paths.get("").toAbsolutePath());
    }

    /** The data root given the property value, the environment value (each may be null) and a start directory. */
    static Path locate(String property, String env, Path workingDir) {
        if (property != null && !property.isBlank()) {
            return existing(Paths.get(property), "system property " + PROPERTY);
        }
        if (env != null && !env.isBlank()) {
            return existing(Paths.get(env), "environment variable " + ENV);
        }
        for (Path dir = workingDir.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("data").resolve("mnist"))) {
                return dir.resolve("data");
            }
        }
        throw new DatasetException("data root not found: expected a directory data/mnist in " + workingDir
                + " or one of its ancestors, found none; set -D" + PROPERTY + "=DIR or " + ENV
                + "=DIR to the directory holding mnist/ and fashion-mnist/ (built by scripts/make-data.sh)");
    }

    private static Path existing(Path dir, String source) {
        if (!Files.isDirectory(dir)) {
            throw new DatasetException(
                    "data root from " + source + ": expected a directory, found none at " + dir.toAbsolutePath());
        }
        return dir.toAbsolutePath();
    }
}
