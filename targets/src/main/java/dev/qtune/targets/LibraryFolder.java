package dev.qtune.targets;

import dev.qtune.compiler.QtuneException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The output folder of a library build: created when absent; an earlier build's files (those its
 * manifest lists, plain names only) are removed; anything else in it is refused, so a build never
 * deletes or mixes with files it did not write.
 */
final class LibraryFolder {
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    private LibraryFolder() {}

    /**
     * Makes {@code dir} ready for a build: created when absent; when it holds an earlier build
     * ({@code manifest}), that build's files and its {@code scratch} folder go. Anything else there
     * refuses the folder before a file is deleted.
     */
    static void prepare(Path dir, String manifest, String filesLine, String scratch) {
        try {
            if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new QtuneException(dir + ": the output folder must be a folder, but is a file or a link");
            }
            Files.createDirectories(dir);
            Path m = dir.resolve(manifest);
            Set<String> ours = new HashSet<>();
            if (Files.isRegularFile(m, LinkOption.NOFOLLOW_LINKS)) {
                ours.addAll(listed(m, filesLine));
                ours.addAll(List.of(manifest, scratch));
            }
            List<String> foreign = new ArrayList<>();
            try (Stream<Path> s = Files.list(dir)) {
                s.map(p -> p.getFileName().toString())
                        .filter(n -> !ours.contains(n))
                        .sorted()
                        .forEach(foreign::add);
            }
            if (!foreign.isEmpty()) {
                throw new QtuneException(dir
                        + ": the output folder must be new, empty or one that qtune build wrote (with "
                        + manifest + "), but it holds "
                        + String.join(", ", foreign.subList(0, Math.min(3, foreign.size())))
                        + (foreign.size() > 3 ? ", ..." : "") + " that qtune build did not write");
            }
            FileTrees.deleteQuietly(dir.resolve(scratch));
            for (String name : ours) {
                Path f = dir.resolve(name);
                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    Files.delete(f);
                }
            }
        } catch (IOException e) {
            throw new QtuneException("cannot use the output folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The plain file names listed under the manifest's files line (two-space indented lines). */
    private static List<String> listed(Path manifest, String filesLine) throws IOException {
        List<String> names = new ArrayList<>();
        boolean in = false;
        if (Files.size(manifest) > 1 << 20) {
            return names;
        }
        for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
            if (line.equals(filesLine)) {
                in = true;
            } else if (in
                    && line.startsWith("  ")
                    && PLAIN_NAME.matcher(line.substring(2)).matches()) {
                names.add(line.substring(2));
            } else {
                in = false;
            }
        }
        return names;
    }
}
