package dev.qtune.evaluator.metric;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Metric commands for tests, as Java single-file programs run by this JVM's own {@code java}
 * (which every machine that builds qtune has): {@link #TOP1} reads outputs.npy and labels.npy as
 * a user's script would and prints top-1.
 */
public final class MetricScripts {
    /** Prints top-1 from the .npy files given as arguments (float32 [n, classes], int64 [n]). */
    public static final String TOP1 = """
            import java.nio.*;
            import java.nio.file.*;
            public class Top1 {
                static ByteBuffer data(String file) throws Exception {
                    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(Path.of(file))).order(ByteOrder.LITTLE_ENDIAN);
                    int header = b.getShort(8) & 0xffff;
                    return b.position(10 + header).slice().order(ByteOrder.LITTLE_ENDIAN);
                }
                public static void main(String[] args) throws Exception {
                    FloatBuffer out = data(args[0]).asFloatBuffer();
                    LongBuffer labels = data(args[1]).asLongBuffer();
                    int n = labels.remaining();
                    int classes = out.remaining() / n;
                    int correct = 0;
                    for (int i = 0; i < n; i++) {
                        int best = 0;
                        for (int c = 1; c < classes; c++) {
                            if (out.get(i * classes + c) > out.get(i * classes + best)) {
                                best = c;
                            }
                        }
                        correct += best == labels.get(i) ? 1 : 0;
                    }
                    System.out.println((double) correct / n);
                }
            }
            """;

    /** Writes "boom" to stderr and exits with status 3. */
    public static final String FAIL = """
            public class Fail {
                public static void main(String[] args) {
                    System.out.println("partial output");
                    System.err.println("reading " + args[0]);
                    System.err.println("boom: no such column");
                    System.exit(3);
                }
            }
            """;

    private MetricScripts() {}

    /** This JVM's java launcher. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Writes {@code source} as {@code dir/NAME.java} and returns the command that runs it. */
    public static List<String> command(Path dir, String name, String source) {
        try {
            Path file = dir.resolve(name + ".java");
            Files.writeString(file, source);
            return List.of(java(), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
