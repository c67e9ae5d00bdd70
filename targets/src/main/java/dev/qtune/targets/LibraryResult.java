package dev.qtune.targets;

import java.nio.file.Path;
import java.util.List;

/**
 * A library written by {@link LibraryBuild}.
 *
 * @param dir      the folder it is in
 * @param files    every file written there, by name, sorted
 * @param compiler the compiler's version line
 * @param commands the commands run (compile, archive, link), each as one line
 * @param warnings what the compiler wrote on stderr (empty for a clean build)
 * @param seconds  wall-clock seconds of the compiles and links
 */
public record LibraryResult(
        Path dir, List<String> files, String compiler, List<String> commands, String warnings, double seconds) {
    public LibraryResult {
        files = List.copyOf(files);
        commands = List.copyOf(commands);
    }
}
