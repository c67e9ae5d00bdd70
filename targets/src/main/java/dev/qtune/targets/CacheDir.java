package dev.qtune.targets;

import dev.qtune.compiler.QtuneException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * qtune's cache folder is private: what it holds is compiled and run. A folder qtune creates gets
 * mode 0700; an existing one (and each folder made below it) must be a real folder (not a symbolic
 * link) owned by this process's user and writable by no one else, or it is refused with one line
 * naming the folder, what was expected and what was found.
 */
public final class CacheDir {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private CacheDir() {}

    /** Creates {@code dir} (0700) if it is missing and checks that it is private; returns it. */
    public static Path secure(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        try {
            if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
                create(abs);
            }
        } catch (IOException e) {
            throw new QtuneException("cannot create the cache folder " + abs + ": " + reason(e), e);
        }
        check(abs);
        return abs;
    }

    /**
     * {@link #secure Secures} {@code dir} and checks that this process can write in it, so a search
     * stops at once with the OS's reason instead of failing every trial.
     */
    public static Path requireWritable(Path dir) {
        Path abs = secure(dir);
        try {
            Files.delete(Files.createTempFile(abs, ".probe-", ".tmp"));
        } catch (IOException e) {
            throw new QtuneException(
                    "cache folder " + abs + " is not writable: " + reason(e)
                            + "; choose another with QTUNE_CACHE or -Dqtune.cache.dir",
                    e);
        }
        return abs;
    }

    /** {@link #secure secures} {@code parent}, then creates (0700) and checks its sub-folder {@code name}. */
    public static Path secure(Path parent, String name) {
        return secure(secure(parent).resolve(name));
    }

    private static void create(Path dir) throws IOException {
        Path parent = dir.getParent();
        if (parent != null && !Files.exists(parent)) {
            Files.createDirectories(parent);
        }
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Files.setPosixFilePermissions(dir, OWNER_ONLY); // the umask may have taken bits away, never added
        } catch (FileAlreadyExistsException e) {
            // created at the same moment by another thread or process: checked below like any existing folder
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(dir); // not a POSIX file system: nothing to set
        }
    }

    /** Refuses a folder that is a link, not a folder, owned by another user, or writable by group or others. */
    static void check(Path dir) {
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new QtuneException("cache folder " + dir + " must be a folder, but is "
                        + (Files.isSymbolicLink(dir) ? "a symbolic link" : "another kind of file"));
            }
            if (!dir.getFileSystem().supportedFileAttributeViews().contains("unix")) {
                return;
            }
            int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            int me = currentUid();
            if (me >= 0 && owner != me) {
                throw new QtuneException("cache folder " + dir + " must be owned by this user (uid " + me
                        + "), but is owned by uid " + owner + "; choose another with QTUNE_CACHE or -Dqtune.cache.dir");
            }
            int mode = (Integer) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if ((mode & 022) != 0) {
                throw new QtuneException(
                        "cache folder " + dir + " must not be writable by group or others, but its mode is "
                                + String.format("%04o", mode & 07777) + "; run chmod go-w " + dir);
            }
        } catch (IOException e) {
            throw new QtuneException("cannot check the cache folder " + dir + ": " + reason(e), e);
        }
    }

    /** This process's user id, or -1 where the system does not say. */
    static int currentUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return -1;
        }
    }

    /** The OS's reason for an I/O error, in a few words (e.g. "Permission denied"). */
    public static String reason(IOException e) {
        String m = e.getMessage();
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
