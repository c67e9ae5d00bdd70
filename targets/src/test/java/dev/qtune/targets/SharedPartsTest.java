package dev.qtune.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Modules share a precompiled kernel header and the runner's object: built once into
 * native/lib-HASH, used by every later module of the same library and flags (the compiler accepts the
 * header without a warning under -Winvalid-pch), and ignored when a part no longer matches its
 * recorded sum.
 */
class SharedPartsTest {
    private static final String HEADER =
            "#include <stdio.h>\nstatic inline int twice(int x) { return 2 * x; }\nint value(void);\n";
    private static final String RUNNER =
            "#include \"qtune_kernels.h\"\nint main(void) { printf(\"%d\\n\", twice(value())); return 0; }\n";

    @TempDir
    Path cache;

    private static Map<String, String> sources(int v) {
        return Map.of(
                "qtune_kernels.h",
                HEADER,
                "qtune_runner.c",
                RUNNER,
                "model.c",
                "#include \"qtune_kernels.h\"\nint value(void) { return " + v + "; }\n");
    }

    private static String run(CompiledModule m) {
        return NativeProcess.run(List.of(m.executable().toString()), Duration.ofSeconds(10), null, Map.of())
                .stdout();
    }

    @Test
    void modulesShareOnePrecompiledHeaderAndRunnerObject() throws Exception {
        Target t = Targets.byName(Targets.GENERIC_C);
        assumeTrue(Toolchain.find(t).isPresent(), "no C compiler for generic-c");
        CompiledModule a = NativeBuild.build(t, sources(20), List.of(), cache);
        CompiledModule b = NativeBuild.build(t, sources(21), List.of(), cache);
        assertEquals("40\n", run(a));
        assertEquals("42\n", run(b));
        assertEquals("", a.warnings() + b.warnings(), "the precompiled header must be valid (-Winvalid-pch)");
        List<Path> libs;
        try (Stream<Path> s = Files.list(cache.resolve("native"))) {
            libs = s.filter(p -> p.getFileName().toString().startsWith(SharedParts.PREFIX))
                    .toList();
        }
        assertEquals(1, libs.size(), "one folder of shared parts");
        Path lib = libs.get(0);
        assertTrue(Files.isRegularFile(lib.resolve("qtune_kernels.h.gch"))
                && Files.isRegularFile(lib.resolve("qtune_runner.o")));
        String command = Files.readString(b.directory().resolve("command.txt"));
        assertTrue(
                command.contains("-Winvalid-pch")
                        && command.contains(lib.resolve("qtune_runner.o").toString()),
                command);
        assertFalse(Files.exists(b.directory().resolve("qtune_kernels.h.gch")), "the header is not kept per module");

        // A part that no longer matches its sum is not used: the module compiles from its own sources.
        Path object = lib.resolve("qtune_runner.o");
        byte[] bytes = Files.readAllBytes(object);
        bytes[bytes.length / 2] ^= 1;
        Files.write(object, bytes);
        Files.setLastModifiedTime(object, FileTime.from(Instant.now().plusSeconds(5)));
        CompiledModule c = NativeBuild.build(t, sources(22), List.of(), cache);
        assertEquals("44\n", run(c));
        String plain = Files.readString(c.directory().resolve("command.txt"));
        assertFalse(plain.contains("qtune_runner.o"), plain);
    }
}
