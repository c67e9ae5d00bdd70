package dev.qtune.targets;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/** Finds commands on PATH, as a shell would (first executable regular file of that name wins). */
final class PathLookup {
    private PathLookup() {}

    static Optional<Path> find(String command) {
        return find(command, System.getenv("PATH"));
    }

    static Optional<Path> find(String command, String pathVariable) {
        if (command.contains("/")) {
            Path p = Path.of(command);
            return isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        if (pathVariable == null) {
            return Optional.empty();
        }
        for (String dir : pathVariable.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            try {
                Path candidate = Path.of(dir, command);
                if (isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            } catch (InvalidPathException e) {
                // a malformed PATH entry: skip it, as a shell does
            }
        }
        return Optional.empty();
    }

    static boolean onPath(String command) {
        return find(command).isPresent();
    }

    private static boolean isExecutable(Path p) {
        return Files.isRegularFile(p) && Files.isExecutable(p);
    }
}
