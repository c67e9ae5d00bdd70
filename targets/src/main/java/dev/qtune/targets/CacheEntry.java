package dev.qtune.targets;

import dev.qtune.compiler.QtuneException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One entry of the native build cache, {@code native/<hash>/}: its executable is only used when
 * its SHA-256 equals the one written beside it ({@value #HASH_FILE}) when it was built. Entries
 * are published by an atomic rename of a finished build folder; when another process published
 * the same key first, its (verified) entry is kept and ours dropped. Build folders left by killed
 * processes ({@code .build-PID-*} whose process is gone, or older than a day) are removed.
 */
final class CacheEntry {
    static final String HASH_FILE = "module.sha256";
    static final String BUILD_PREFIX = ".build-";
    private static final Duration STALE_AGE = Duration.ofDays(1);
    private static final Logger LOG = LoggerFactory.getLogger(CacheEntry.class);
    private static final Set<Path> CLEANED = ConcurrentHashMap.newKeySet();

    private CacheEntry() {}

    /** The prefix of this process's build folders. */
    static String buildPrefix() {
        return BUILD_PREFIX + ProcessHandle.current().pid() + "-";
    }

    /** Writes the executable's hash into its (unpublished) build folder. */
    static void seal(Path buildDir) throws IOException {
        seal(buildDir, NativeBuild.EXECUTABLE, HASH_FILE);
    }

    /** Writes the SHA-256 of {@code file} in {@code dir} into {@code sumFile} beside it. */
    static void seal(Path dir, String file, String sumFile) throws IOException {
        Files.writeString(dir.resolve(sumFile), sha256(dir.resolve(file)) + "\n", StandardCharsets.US_ASCII);
    }

    /** True when the folder is a real folder whose executable matches its recorded hash. */
    static boolean verified(Path dir) {
        return verified(dir, NativeBuild.EXECUTABLE, HASH_FILE);
    }

    /** True when {@code dir} is a real folder whose {@code file} matches the hash recorded in {@code sumFile}. */
    static boolean verified(Path dir, String file, String sumFile) {
        Path checked = dir.resolve(file);
        Path hashFile = dir.resolve(sumFile);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                || !Files.isRegularFile(checked, LinkOption.NOFOLLOW_LINKS)
                || !Files.isRegularFile(hashFile, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            if (Files.size(hashFile) > 200) {
                return false;
            }
            String recorded =
                    Files.readString(hashFile, StandardCharsets.US_ASCII).strip();
            return recorded.equals(sha256(checked));
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("cannot verify {}: {}", dir, e.toString());
            return false;
        }
    }

    /**
     * Moves the finished build folder {@code tmp} to {@code dir}. An entry already there that
     * verifies is success (built by another process from the same inputs); one that does not is
     * moved aside and replaced.
     */
    static Path publish(Path tmp, Path dir) {
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                return dir;
            } catch (FileSystemException e) {
                // rename(2) onto a non-empty folder fails with ENOTEMPTY, which Java reports as a plain
                // FileSystemException (not DirectoryNotEmptyException); an empty one it would replace.
                if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                    FileTrees.deleteQuietly(tmp);
                    throw new QtuneException("cannot move a native build into " + dir + ": " + CacheDir.reason(e), e);
                }
                if (verified(dir)) {
                    FileTrees.deleteQuietly(tmp);
                    return dir;
                }
                moveAside(dir);
            } catch (IOException e) {
                FileTrees.deleteQuietly(tmp);
                throw new QtuneException("cannot move a native build into " + dir + ": " + CacheDir.reason(e), e);
            }
        }
        FileTrees.deleteQuietly(tmp);
        throw new QtuneException("cannot publish a native build at " + dir + ": replaced by another process 3 times");
    }

    /** Renames a broken entry to a unique build-folder name (atomic, so two processes never both delete it), then deletes it. */
    private static void moveAside(Path dir) {
        try {
            Path aside = Files.createTempDirectory(dir.getParent(), buildPrefix());
            Files.move(dir, aside, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            LOG.warn("native build cache entry {} did not match its recorded hash; rebuilt", dir);
            FileTrees.deleteQuietly(aside);
        } catch (IOException e) {
            LOG.debug("cannot move {} aside: {}", dir, e.toString());
        }
    }

    /** Once per folder and JVM: deletes build folders whose process has ended, or that are older than a day. */
    static void cleanStale(Path root) {
        if (!CLEANED.add(root)) {
            return;
        }
        Instant old = Instant.now().minus(STALE_AGE);
        try (Stream<Path> s = Files.list(root)) {
            s.filter(p -> p.getFileName().toString().startsWith(BUILD_PREFIX))
                    .filter(p -> stale(p, old))
                    .forEach(p -> {
                        LOG.debug("removing stale build folder {}", p);
                        FileTrees.deleteQuietly(p);
                    });
        } catch (IOException e) {
            LOG.debug("cannot list {}: {}", root, e.toString());
        }
    }

    private static boolean stale(Path p, Instant old) {
        String rest = p.getFileName().toString().substring(BUILD_PREFIX.length());
        int dash = rest.indexOf('-');
        try {
            long pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
            if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isEmpty()) {
                return true;
            }
        } catch (NumberFormatException e) {
            // a folder of an older version, without a PID: judged by its age alone
        }
        try {
            FileTime t = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
            return t.toInstant().isBefore(old);
        } catch (IOException e) {
            return false;
        }
    }

    static String sha256(Path file) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + CacheDir.reason(e), e);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
