package dev.qtune.experiments.run;

import dev.qtune.compiler.QtuneException;
import dev.qtune.targets.CacheDir;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * The lock of a run directory: an OS file lock on {@value #FILE} held by the search that writes
 * the directory, with the holder's PID written in the file. A second search or resume on the same
 * directory is refused with one line naming that PID. The lock ends with the process (a killed
 * search leaves the file but not the lock), so the file is never deleted.
 */
public final class RunLock implements AutoCloseable {
    /** The lock file's name in the run directory. */
    public static final String FILE = ".qtune.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock of {@code dir} (which must exist), or throws a one-line error naming its holder. */
    public static RunLock acquire(Path dir) {
        Path file = dir.resolve(FILE);
        FileChannel ch;
        try {
            ch = FileChannel.open(
                    file,
                    Set.of(
                            StandardOpenOption.CREATE,
                            StandardOpenOption.READ,
                            StandardOpenOption.WRITE,
                            LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            throw new QtuneException(
                    "cannot lock run directory " + dir + ": cannot open " + FILE + ": " + CacheDir.reason(e), e);
        }
        try {
            FileLock l = tryLock(ch);
            if (l == null) {
                String holder = holder(ch);
                ch.close();
                throw new QtuneException("run directory " + dir + " is in use by process " + holder);
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            ch.force(false);
            return new RunLock(ch, l);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new QtuneException("cannot lock run directory " + dir + ": " + CacheDir.reason(e), e);
        }
    }

    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by another search in this JVM
        }
    }

    private static String holder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(24);
            int n = ch.read(b, 0);
            String s = n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.US_ASCII).strip();
            return s.matches("[0-9]{1,19}") ? s : "(unknown PID)";
        } catch (IOException e) {
            return "(unknown PID)";
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // the first error is the one reported
        }
    }

    /** Releases the lock. */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases it as well
        }
        closeQuietly(channel);
    }
}
