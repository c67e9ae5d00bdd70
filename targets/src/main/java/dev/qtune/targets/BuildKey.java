package dev.qtune.targets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cache key of a native build: SHA-256 over the sources (name and text, in name order), the
 * target name, every flag and the compiler version. Each item is length-prefixed, so no two
 * different inputs run together into the same bytes.
 */
final class BuildKey {
    /** Bump when the layout of a cached build changes, so old entries are not reused. */
    private static final String FORMAT = "qtune-native-build-v1";

    private BuildKey() {}

    static String of(Map<String, String> sources, String targetName, List<String> flags, String compilerVersion) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
        add(md, FORMAT);
        for (Map.Entry<String, String> e : new TreeMap<>(sources).entrySet()) {
            add(md, "source");
            add(md, e.getKey());
            add(md, e.getValue());
        }
        add(md, "target");
        add(md, targetName);
        add(md, "flags");
        for (String f : flags) {
            add(md, f);
        }
        add(md, "compiler");
        add(md, compilerVersion);
        return HexFormat.of().formatHex(md.digest());
    }

    private static void add(MessageDigest md, String item) {
        byte[] bytes = item.getBytes(StandardCharsets.UTF_8);
        md.update(ByteBuffer.allocate(Long.BYTES).putLong(bytes.length).array());
        md.update(bytes);
    }
}
