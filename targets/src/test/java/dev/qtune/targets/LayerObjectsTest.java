package dev.qtune.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build compiles only the layers no earlier build compiled, links the objects of the others,
 * tolerates two linked objects holding the same layer (weak functions), and compiles a layer again
 * when the object holding it no longer matches its recorded sum. Layers here follow the emitter's
 * convention: file {@code layer_X.c} defines the weak, hidden function {@code lX_layer}.
 */
class LayerObjectsTest {
    private static final String HEADER = "#include <stdio.h>\n#define QT_BONUS 0\n";
    private static final String RUNNER = "#include \"qtune_kernels.h\"\nint total(void);\n"
            + "int main(void) { printf(\"%d\\n\", total()); return 0; }\n";
    private static final Pattern COMPILED = Pattern.compile("---- (layer_\\w+)\\.c ----");

    @TempDir
    Path cache;

    private Target target;

    @BeforeEach
    void compiler() {
        target = Targets.byName(Targets.GENERIC_C);
        assumeTrue(Toolchain.find(target).isPresent(), "no C compiler for generic-c");
    }

    /** A module whose layers (name to the value it returns) are summed by model.c, plus {@code extra}. */
    private static Map<String, String> module(Map<String, Integer> layers, int extra) {
        Map<String, String> files = new LinkedHashMap<>();
        StringBuilder model = new StringBuilder();
        StringBuilder sum = new StringBuilder("int total(void) { return ").append(extra);
        layers.forEach((name, value) -> {
            files.put(
                    "layer_" + name + ".c",
                    "#include \"qtune_kernels.h\"\n"
                            + "static const int l" + name + "_k0 = " + value + ";\n"
                            + "__attribute__((weak, visibility(\"hidden\"))) int l" + name + "_layer(void) { return l"
                            + name
                            + "_k0 + QT_BONUS; }\n");
            model.append("__attribute__((visibility(\"hidden\"))) int l")
                    .append(name)
                    .append("_layer(void);\n");
            sum.append(" + l").append(name).append("_layer()");
        });
        files.put("model.c", model.append(sum).append("; }\n").toString());
        files.put("qtune_kernels.h", HEADER);
        files.put("qtune_runner.c", RUNNER);
        return files;
    }

    private CompiledModule build(Map<String, String> files) {
        return NativeBuild.build(target, files, List.of(), cache);
    }

    private static String run(CompiledModule m) {
        return NativeProcess.run(List.of(m.executable().toString()), Duration.ofSeconds(10), null, Map.of())
                .stdout()
                .strip();
    }

    /** The layers this build compiled (the new-layers unit it kept), in name order. */
    private static List<String> compiled(CompiledModule m) throws IOException {
        Path unit = m.directory().resolve(LayerObjects.UNIT);
        if (!Files.exists(unit)) {
            return List.of();
        }
        Matcher k = COMPILED.matcher(Files.readString(unit));
        return k.results().map(r -> r.group(1)).toList();
    }

    @Test
    void aBuildCompilesOnlyTheLayersNoEarlierBuildCompiled() throws IOException {
        CompiledModule first = build(module(Map.of("a", 1, "b", 2), 0));
        assertEquals("3", run(first));
        assertEquals(List.of("layer_a", "layer_b"), compiled(first));
        assertEquals("", first.warnings());

        CompiledModule changed = build(module(Map.of("a", 1, "c", 5), 0));
        assertEquals("6", run(changed));
        assertEquals(List.of("layer_c"), compiled(changed), "only the new layer compiles");
        String command = Files.readString(changed.directory().resolve(NativeBuild.COMMAND_FILE));
        assertTrue(command.contains(LayerObjects.LINK_FLAG), command);
        assertEquals(2, command.split(LayerObjects.FOLDER_PREFIX).length - 1, "two layer objects linked: " + command);

        CompiledModule sameLayers = build(module(Map.of("a", 1, "b", 2), 10));
        assertEquals("13", run(sameLayers));
        assertEquals(List.of(), compiled(sameLayers), "a new model.c around known layers compiles no layer");
        assertFalse(
                Files.exists(sameLayers.directory().resolve(LayerObjects.UNIT.replace(".c", ".o"))),
                "the module folder does not keep a published object");
    }

    /**
     * A layer's text is the same whatever the kernel headers it includes, so an object compiled
     * against other headers (an older qtune's kernels) must be neither found nor published over.
     */
    @Test
    void changedKernelHeadersCompileTheSameLayersAgain() throws IOException {
        assertEquals("3", run(build(module(Map.of("a", 1, "b", 2), 0))));
        Map<String, String> files = module(Map.of("a", 1, "b", 2), 0);
        files.put("qtune_kernels.h", "#include <stdio.h>\n#define QT_BONUS 100\n");
        CompiledModule rebuilt = build(files);
        assertEquals(List.of("layer_a", "layer_b"), compiled(rebuilt), "both layers compile against the new header");
        assertEquals("203", run(rebuilt), "the new header's code is linked, not the old object");
    }

    @Test
    void twoObjectsHoldingOneLayerLinkAndABrokenObjectIsCompiledAgain() throws IOException {
        Path root = cache.resolve(NativeBuild.FOLDER);
        CompiledModule first = build(module(Map.of("a", 1, "b", 2), 0));
        Map<String, String> keys = LayerObjects.plan(
                        target,
                        module(Map.of("a", 1, "b", 2), 0),
                        target.compilerFlags(),
                        Toolchain.find(target).orElseThrow(),
                        root)
                .keys();
        Path objectAB = root.resolve(
                        Files.readString(root.resolve(LayerObjects.INDEX).resolve(keys.get("layer_a.c")))
                                .strip())
                .resolve(LayerObjects.OBJECT);

        // forget where b is: b compiles again, with c, into a second object, so b is in two objects
        Files.delete(root.resolve(LayerObjects.INDEX).resolve(keys.get("layer_b.c")));
        assertEquals(List.of("layer_b", "layer_c"), compiled(build(module(Map.of("b", 2, "c", 4), 0))));
        CompiledModule both = build(module(Map.of("a", 1, "b", 2, "c", 4), 0));
        assertEquals(List.of(), compiled(both));
        assertEquals("7", run(both), "b's weak functions in two objects link as one");

        // an object that no longer matches its sum is not linked: its layers compile again
        byte[] bytes = Files.readAllBytes(objectAB);
        bytes[bytes.length / 2] ^= 1;
        Files.write(objectAB, bytes);
        CompiledModule repaired = build(module(Map.of("a", 1, "d", 8), 0));
        assertEquals(List.of("layer_a", "layer_d"), compiled(repaired));
        assertEquals("9", run(repaired));
        assertEquals("3", run(first));
    }
}
