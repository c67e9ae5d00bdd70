package dev.qtune.targets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compiled layers of modules, reused across builds. A module's source holds each layer as its
 * own file ({@value #PREFIX}{@code <hash>.c}) whose text depends on that layer alone and whose
 * function and local names carry the hash of that text (docs/codegen.md, "One object per build,
 * reused per layer"). A build compiles only the layers no earlier build compiled, all of them in
 * one translation unit (the compiler's fixed cost per unit, about 0.4 s for our kernels, is paid
 * once), publishes that object in {@code <cache>/native/obj-<hash>/}, and records for each layer
 * which object holds it ({@code <cache>/native/layers/<layer key>}). The link then takes, for
 * every layer, an object that holds it: layer functions are weak, so two objects holding the same
 * layer do not clash, and {@code --gc-sections} drops the layers a module does not call.
 *
 * <p>So a trial that changes one layer of a model compiles one layer. Objects are checked against
 * their recorded SHA-256 before every use; an index entry whose object is missing or does not
 * verify counts as a layer not compiled.
 */
public final class LayerObjects {
    /** Source names of layers' own files start with this. */
    public static final String PREFIX = "layer_";
    /** Flags the layer objects are compiled with, so that the link can drop the layers it does not call. */
    static final List<String> SECTION_FLAGS = List.of("-ffunction-sections", "-fdata-sections");

    static final String LINK_FLAG = "-Wl,--gc-sections";
    /** The translation unit of a build's new layers, in its build folder. */
    static final String UNIT = "qt_new_layers.c";

    static final String FOLDER_PREFIX = "obj-";
    static final String INDEX = "layers";
    static final String OBJECT = "layers.o";
    static final String SUM = "layers.o.sha256";

    private static final Logger LOG = LoggerFactory.getLogger(LayerObjects.class);
    private static final Pattern FOLDER = Pattern.compile(FOLDER_PREFIX + "[0-9a-f]{64}");

    /**
     * The layers of one build: the key of its kernel headers, target, flags and compiler; each
     * layer source's key (its text and that library key), the object that already holds it (where
     * one does), and the layers still to compile.
     */
    record Plan(String library, Map<String, String> keys, Map<String, Path> found) {
        List<String> missing() {
            return keys.keySet().stream().filter(n -> !found.containsKey(n)).toList();
        }

        /** The objects to link: one per layer, each object once. */
        List<Path> objects() {
            return List.copyOf(new LinkedHashSet<>(found.values()));
        }
    }

    private LayerObjects() {}

    static boolean isLayer(String name) {
        return name.startsWith(PREFIX) && name.endsWith(".c");
    }

    /** Looks up, for every layer source of {@code files}, an object under {@code root} that holds it. */
    static Plan plan(Target target, Map<String, String> files, List<String> flags, Toolchain cc, Path root) {
        Map<String, String> headers = new TreeMap<>();
        files.forEach((n, t) -> {
            if (n.endsWith(".h")) {
                headers.put(n, t);
            }
        });
        String library =
                BuildKey.of(headers.isEmpty() ? Map.of("none.h", "") : headers, target.name(), flags, cc.version());
        Map<String, String> keys = new TreeMap<>();
        files.forEach((n, text) -> {
            if (isLayer(n)) {
                // the text names its weight files by their content, so the key covers them too
                keys.put(
                        n,
                        BuildKey.of(Map.of("layer.c", text, "library.h", library), target.name(), flags, cc.version()));
            }
        });
        Map<String, Path> found = new LinkedHashMap<>();
        Map<String, Boolean> verified = new TreeMap<>();
        keys.forEach((name, key) -> lookup(root, key)
                .filter(dir -> verified.computeIfAbsent(dir.toString(), d -> verified(dir)))
                .ifPresent(dir -> found.put(name, dir.resolve(OBJECT))));
        return new Plan(library, keys, found);
    }

    /** The new layers' translation unit: their files one after another (each names only its own symbols). */
    static String unit(Plan plan, Map<String, String> files) {
        StringBuilder sb = new StringBuilder("/* The layers of this module that no earlier build compiled. */\n");
        plan.missing()
                .forEach(n ->
                        sb.append("\n/* ---- ").append(n).append(" ---- */\n").append(files.get(n)));
        return sb.toString();
    }

    /** The compile command for {@link #UNIT} in the build folder. */
    static List<String> compileCommand(Toolchain cc, List<String> flags, boolean pch) {
        List<String> c = new ArrayList<>();
        c.add(cc.executable().toString());
        c.addAll(flags);
        c.addAll(SECTION_FLAGS);
        if (pch) {
            c.add("-Winvalid-pch");
        }
        c.addAll(List.of("-c", UNIT, "-o", UNIT.replace(".c", ".o")));
        return c;
    }

    /**
     * Publishes the object just compiled from {@code unit} and indexes its layers; returns the
     * plan with every layer found (the new ones in the published object, or in the build folder
     * when it cannot be published).
     */
    static Plan publish(
            Plan plan, Path buildDir, String unit, Target target, List<String> flags, Toolchain cc, Path root) {
        Path built = buildDir.resolve(UNIT.replace(".c", ".o"));
        // the unit #includes the kernel headers: an object compiled against other headers is another folder
        String folder = FOLDER_PREFIX
                + BuildKey.of(Map.of(UNIT, unit, "library.h", plan.library()), target.name(), flags, cc.version());
        Path object = publishObject(built, root, root.resolve(folder));
        Map<String, Path> found = new LinkedHashMap<>(plan.found());
        for (String n : plan.missing()) {
            found.put(n, object);
            if (!object.equals(built)) {
                index(root, plan.keys().get(n), folder);
            }
        }
        return new Plan(plan.library(), plan.keys(), found);
    }

    private static Optional<Path> lookup(Path root, String key) {
        Path entry = root.resolve(INDEX).resolve(key);
        try {
            if (!Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS) || Files.size(entry) > 200) {
                return Optional.empty();
            }
            String folder = Files.readString(entry, StandardCharsets.US_ASCII).strip();
            return FOLDER.matcher(folder).matches() ? Optional.of(root.resolve(folder)) : Optional.empty();
        } catch (IOException e) {
            LOG.debug("cannot read layer index {}: {}", entry, e.toString());
            return Optional.empty();
        }
    }

    /** Records which object holds a layer (atomically; a later build's entry for the same layer replaces it). */
    private static void index(Path root, String key, String folder) {
        try {
            Path dir = CacheDir.secure(root, INDEX);
            Path tmp = Files.createTempFile(dir, CacheEntry.buildPrefix(), ".tmp");
            Files.writeString(tmp, folder + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, dir.resolve(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot index layer {}: {}", key, e.toString());
        }
    }

    private static Path publishObject(Path built, Path root, Path dir) {
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory(root, CacheEntry.buildPrefix());
            Files.copy(built, tmp.resolve(OBJECT));
            CacheEntry.seal(tmp, OBJECT, SUM);
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            return dir.resolve(OBJECT);
        } catch (FileSystemException e) {
            // another process published the same layers first: use theirs if it verifies
            FileTrees.deleteQuietly(tmp);
            return verified(dir) ? dir.resolve(OBJECT) : built;
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot publish layer object {}: {}", dir, e.toString());
            if (tmp != null) {
                FileTrees.deleteQuietly(tmp);
            }
            return built;
        }
    }

    private static boolean verified(Path dir) {
        boolean ok = CacheEntry.verified(dir, OBJECT, SUM);
        if (!ok && Files.isRegularFile(dir.resolve(SUM), LinkOption.NOFOLLOW_LINKS)) {
            LOG.warn("layer object {} does not match its recorded hash; its layers are compiled again", dir);
        }
        return ok;
    }
}
