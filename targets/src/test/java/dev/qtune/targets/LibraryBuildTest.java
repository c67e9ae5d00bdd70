package dev.qtune.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.lower.ScheduleConfig;
import dev.qtune.targets.codegen.CModule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LibraryBuild on a module laid out as several files (model.c, a layer in its own .c reading a
 * .bin through .incbin, a header): every .c but the runner is compiled, both libraries link into a
 * program that gcc builds outside qtune, and the output folder is replaced only when qtune wrote it.
 */
class LibraryBuildTest {
    private static final Target GENERIC = Targets.byName(Targets.GENERIC_C);
    private static final LibrarySpec SPEC =
            new LibrarySpec("m\"*/.onnx", "c.yaml", "x", List.of(1, 4), "y", List.of(1, 2), "test values");

    @TempDir
    Path dir;

    /** y = W x with W (2 x 4) from w0.bin: 1..8 as little-endian floats, so y = (sum i*x_i, sum (4+i)*x_i). */
    static CModule module() {
        StringBuilder bin = new StringBuilder();
        for (int i = 1; i <= 8; i++) {
            int bits = Float.floatToIntBits(i);
            for (int b = 0; b < 4; b++) {
                bin.append((char) ((bits >>> (8 * b)) & 0xff));
            }
        }
        String model = """
                #include "layers.h"
                int qt_threads = 1;
                const int qt_input_size = 4;
                const int qt_output_size = 2;
                const int qt_layer_count = 1;
                const char *const qt_layer_names[] = {"/fc/Gemm", 0};
                void qt_run(const float *in, float *out) { layer0(in, out); }
                void qt_run_profiled(const float *in, float *out, double *s) { layer0(in, out); s[0] += 0; }
                """;
        String layer = """
                #include "layers.h"
                __asm__(".section .rodata\\n.balign 64\\n.globl qt_w0\\n.hidden qt_w0\\nqt_w0:\\n.incbin \\"w0.bin\\"\\n.previous");
                extern const float qt_w0[] __attribute__((visibility("hidden")));
                void layer0(const float *in, float *out) {
                    for (int o = 0; o < 2; o++) {
                        float s = 0;
                        for (int i = 0; i < 4; i++) s += qt_w0[o * 4 + i] * in[i];
                        out[o] = s;
                    }
                }
                """;
        return new CModule(
                Map.of(
                        "model.c",
                        model,
                        "layer0.c",
                        layer,
                        "w0.bin",
                        bin.toString(),
                        "layers.h",
                        "void layer0(const float *in, float *out) __attribute__((visibility(\"hidden\")));\n",
                        LibraryBuild.RUNNER,
                        "#error the runner must not be compiled into a library\n"),
                List.of("/fc/Gemm"),
                4,
                2,
                ScheduleConfig.EMPTY);
    }

    @Test
    void everySourceButTheRunnerIsCompiledAndBothLibrariesLink() throws Exception {
        Path out = dir.resolve("lib");
        LibraryResult r = LibraryBuild.build(module(), GENERIC, SPEC, out);
        assertTrue(
                r.files()
                        .containsAll(List.of(
                                "model.c",
                                "layer0.c",
                                "w0.bin",
                                "layers.h",
                                LibraryBuild.HEADER,
                                LibraryBuild.STATIC_LIBRARY,
                                LibraryBuild.SHARED_LIBRARY,
                                LibraryBuild.EXAMPLE,
                                LibraryBuild.README,
                                LibraryBuild.MANIFEST)),
                r.files().toString());
        assertFalse(Files.exists(out.resolve(LibraryBuild.RUNNER)));
        assertEquals(4, r.commands().size(), "two compiles, ar, link: " + r.commands());
        String header = Files.readString(out.resolve(LibraryBuild.HEADER));
        assertTrue(header.contains("model   m__/.onnx"), "model text is filtered: " + header);
        Path app = dir.resolve("app.c");
        Files.writeString(app, """
                #include <stdio.h>
                #include "qtune_model.h"
                int main(void) {
                    float in[QTUNE_MODEL_INPUT_SIZE] = {1, 2, 3, 4}, out[QTUNE_MODEL_OUTPUT_SIZE];
                    qt_run(in, out);
                    printf("%g %g %d %s\\n", out[0], out[1], qtune_argmax(out, qt_output_size), qt_layer_names[0]);
                    return 0;
                }
                """);
        String expected = "30 70 1 /fc/Gemm\n";
        assertEquals(
                expected,
                exec(gcc(
                        app,
                        "a-static",
                        out,
                        out.resolve(LibraryBuild.STATIC_LIBRARY).toString(),
                        "-fopenmp",
                        "-lm")));
        assertEquals(expected, exec(gcc(app, "a-shared", out, "-L" + out, "-lqtune_model", "-Wl,-rpath," + out)));

        LibraryBuild.build(module(), GENERIC, SPEC, out);
        Files.writeString(out.resolve("notes.txt"), "mine");
        QtuneException e = assertThrows(QtuneException.class, () -> LibraryBuild.build(module(), GENERIC, SPEC, out));
        assertTrue(e.getMessage().endsWith("but it holds notes.txt that qtune build did not write"), e.getMessage());
        assertTrue(
                Files.exists(out.resolve("notes.txt")) && Files.exists(out.resolve(LibraryBuild.STATIC_LIBRARY)),
                "a refused folder keeps its files");
    }

    @Test
    void aCompileErrorNamesTheCommand() {
        CModule m = module();
        var sources = new HashMap<>(m.sources());
        sources.put("layer1.c", "int broken(void) { return }\n");
        CModule bad = new CModule(sources, m.layers(), 4, 2, ScheduleConfig.EMPTY);
        NativeBuildException e = assertThrows(
                NativeBuildException.class, () -> LibraryBuild.build(bad, GENERIC, SPEC, dir.resolve("lib")));
        assertTrue(e.getMessage().startsWith("library build for target generic-c failed ("), e.getMessage());
        assertTrue(e.getMessage().contains("-c layer1.c"), e.getMessage());
        LibraryBuild.build(module(), GENERIC, SPEC, dir.resolve("lib"));
        assertFalse(
                Files.exists(dir.resolve("lib").resolve("layer1.c")),
                "a failed build's folder is replaced by the next");
    }

    private Path gcc(Path app, String name, Path lib, String... link) throws Exception {
        Path exe = dir.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("gcc", "-Wall", "-Werror", app.toString(), "-I", lib.toString()));
        cmd.addAll(List.of(link));
        cmd.addAll(List.of("-o", exe.toString()));
        exec(cmd.toArray(String[]::new));
        return exe;
    }

    private static String exec(Object... command) throws Exception {
        List<String> cmd = Arrays.stream(command).map(String::valueOf).toList();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), cmd + " timed out");
        assertEquals(0, p.exitValue(), cmd + ": " + text);
        return text;
    }
}
