package dev.qtune.compiler;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * The limits every reader checks before it allocates (issue 17): a bad or hostile input costs a
 * one-line error, never gigabytes of memory or a hang. Each limit has a system property, so a
 * user with a bigger model can raise it; the error names the file, the limit and its property.
 */
public final class InputLimits {
    /** Bytes of a model file (-Dqtune.limit.model.bytes, default 1 GiB). */
    public static final String MODEL_BYTES = "qtune.limit.model.bytes";
    /** Nodes of a model graph (-Dqtune.limit.nodes, default 20,000). */
    public static final String NODES = "qtune.limit.nodes";
    /** Elements of one tensor a model declares (-Dqtune.limit.elements, default 2^28, 1 GiB of floats). */
    public static final String ELEMENTS = "qtune.limit.elements";
    /** Bytes of a data set file, after decompression (-Dqtune.limit.data.bytes, default 2 GiB). */
    public static final String DATA_BYTES = "qtune.limit.data.bytes";
    /** Pixels of one image file, as its header declares them (-Dqtune.limit.image.pixels, default 2^26). */
    public static final String IMAGE_PIXELS = "qtune.limit.image.pixels";
    /** Bytes of a YAML or JSON config file (-Dqtune.limit.config.bytes, default 4 MiB). */
    public static final String CONFIG_BYTES = "qtune.limit.config.bytes";
    /** Bytes of generated C source (-Dqtune.limit.c.bytes, default 64 MiB). */
    public static final String C_BYTES = "qtune.limit.c.bytes";

    private InputLimits() {}

    public static long modelBytes() {
        return get(MODEL_BYTES, 1L << 30);
    }

    public static long nodes() {
        return get(NODES, 20_000);
    }

    public static long elements() {
        return get(ELEMENTS, 1L << 28);
    }

    public static long dataBytes() {
        return get(DATA_BYTES, 2L << 30);
    }

    public static long imagePixels() {
        return get(IMAGE_PIXELS, 1L << 26);
    }

    public static long configBytes() {
        return get(CONFIG_BYTES, 4L << 20);
    }

    public static long cBytes() {
        return get(C_BYTES, 64L << 20);
    }

    private static long get(String property, long fallback) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.strip());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the error below
        }
        throw new QtuneException("-D" + property + " must be a positive whole number, but was '"
                + (v.length() > 40 ? v.substring(0, 40) + "..." : v) + "'");
    }

    /**
     * The bytes of {@code file}, which must be a regular file (not a FIFO or device, which could
     * block or never end) of at most {@code limit} bytes; {@code what} ("model file") starts errors.
     */
    public static byte[] readFile(Path file, String what, long limit, String property) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            if (!a.isRegularFile()) {
                throw new QtuneException(file + ": must be a " + what + " (a regular file), but is "
                        + (a.isDirectory() ? "a folder" : "a device, FIFO or socket"));
            }
            checkSize(file, what, a.size(), limit, property);
            try (InputStream in = Files.newInputStream(file)) {
                byte[] bytes = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
                checkSize(file, what, bytes.length, limit, property); // it grew while we read
                return bytes;
            }
        } catch (NoSuchFileException e) {
            throw new QtuneException(what + " not found: " + file);
        } catch (IOException e) {
            throw new QtuneException("cannot read " + what + " " + file + ": " + reason(e), e);
        }
    }

    /**
     * The text of a config file (YAML or JSON): a regular file of at most {@link #configBytes()}
     * bytes, in UTF-8. Reading it whole before parsing bounds the document and every scalar in it.
     */
    public static String readConfigText(Path file, String what) {
        byte[] bytes = readFile(file, what, configBytes(), CONFIG_BYTES);
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new QtuneException(file + ": must be UTF-8 text, but was not (a binary file?)");
        }
    }

    /** Jackson's YAML factory with limits: nesting depth 64, scalars of at most 1 MiB, documents of {@link #configBytes()}. */
    public static YAMLFactory yamlFactory() {
        LoaderOptions options = new LoaderOptions();
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit((int) Math.min(configBytes(), Integer.MAX_VALUE));
        options.setMaxAliasesForCollections(10);
        return YAMLFactory.builder()
                .loaderOptions(options)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_DEPTH)
                        .maxStringLength(1 << 20)
                        .maxDocumentLength(configBytes())
                        .build())
                .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
                .build();
    }

    /** Nesting depth of a config document. */
    public static final int MAX_DEPTH = 64;

    /** Refuses {@code size} above {@code limit}, naming the file, the limit and its property. */
    public static void checkSize(Path file, String what, long size, long limit, String property) {
        if (size > limit) {
            throw new QtuneException(file + ": a " + what + " must be at most " + limit + " bytes, but is " + size
                    + (size > limit + 1 ? "" : " or more") + " (raise -D" + property + ")");
        }
    }

    /** At most 60 characters of {@code text} for an error message, control characters as '?'. */
    public static String excerpt(String text) {
        String t = text.length() > 60 ? text.substring(0, 57) + "..." : text;
        return t.replaceAll("[\\p{Cntrl}]", "?");
    }

    /** The OS's reason for an I/O error in a few words ("Permission denied"), without a class name. */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
