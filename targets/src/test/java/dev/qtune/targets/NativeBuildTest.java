package dev.qtune.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeBuildTest {
    static final Target GENERIC = Targets.byName("generic-c");
    static final String HELLO = """
            #include <stdio.h>
            #include "answer.h"
            int main(void) {
                printf("answer %d\\n", ANSWER);
                return 0;
            }
            """;

    @TempDir
    Path cache;

    @BeforeAll
    static void needsACompiler() {
        assumeTrue(Toolchain.find(GENERIC).isPresent(), "no C compiler for generic-c: gcc not on PATH");
    }

    @Test
    void buildsAndRunsATinyProgram() throws Exception {
        CompiledModule m = NativeBuild.build(
                GENERIC, Map.of("hello.c", HELLO, "answer.h", "#define ANSWER 42\n"), List.of(), cache);
        assertFalse(m.cacheHit());
        assertEquals(cache.resolve("native").resolve(m.hash()).resolve("module"), m.executable());
        assertEquals("", m.warnings());
        assertTrue(m.compileSeconds() > 0);
        assertTrue(m.flags().contains("-ffp-contract=off"));
        assertFalse(m.compilerVersion().isBlank());
        assertTrue(Files.exists(m.directory().resolve("hello.c"))
                && Files.exists(m.directory().resolve("answer.h")));
        ProcessResult r = NativeProcess.run(List.of(m.executable().toString()), Duration.ofSeconds(10), null, Map.of());
        assertEquals("answer 42\n", r.stdout(), r.reason());
        try (var files = Files.list(cache.resolve("native"))) {
            assertEquals(
                    List.of(m.hash()),
                    files.map(p -> p.getFileName().toString()).toList(),
                    "temporary folders left");
        }
    }

    @Test
    void aSecondBuildOfTheSameInputsIsACacheHit() {
        Map<String, String> sources = Map.of("hello.c", HELLO, "answer.h", "#define ANSWER 1\n");
        CompiledModule first = NativeBuild.build(GENERIC, sources, List.of(), cache);
        CompiledModule second = NativeBuild.build(GENERIC, sources, List.of(), cache);
        assertTrue(second.cacheHit());
        assertEquals(0.0, second.compileSeconds());
        assertEquals(first.executable(), second.executable());
        assertEquals(first.hash(), second.hash());
    }

    @Test
    void theKeyCoversHeadersAndFlags() {
        String base = NativeBuild.build(
                        GENERIC, Map.of("hello.c", HELLO, "answer.h", "#define ANSWER 1\n"), List.of(), cache)
                .hash();
        String header = NativeBuild.build(
                        GENERIC, Map.of("hello.c", HELLO, "answer.h", "#define ANSWER 2\n"), List.of(), cache)
                .hash();
        String flag = NativeBuild.build(
                        GENERIC,
                        Map.of("hello.c", HELLO, "answer.h", "#define ANSWER 1\n"),
                        List.of("-DEXTRA=1"),
                        cache)
                .hash();
        assertNotEquals(base, header);
        assertNotEquals(base, flag);
        assertNotEquals(header, flag);
    }

    @Test
    void aSyntaxErrorThrowsWithTheCommandAndTheCompilerMessage() {
        NativeBuildException e = assertThrows(
                NativeBuildException.class,
                () -> NativeBuild.build(GENERIC, Map.of("bad.c", "int main(void) { return 0 }\n"), List.of(), cache));
        assertTrue(e.getMessage().startsWith("C compile for target generic-c failed (exit code 1)"), e.getMessage());
        assertTrue(e.getMessage().contains("-O3 -std=c11 -ffp-contract=off"), e.getMessage());
        assertTrue(e.getMessage().contains("-o module bad.c -lm"), e.getMessage());
        assertTrue(e.getMessage().contains("bad.c:1:"), e.getMessage());
        assertTrue(e.getMessage().contains("error: expected"), e.getMessage());
        assertTrue(e.compilerOutput().contains("error"));
        assertEquals("-lm", e.command().get(e.command().size() - 1));
    }

    @Test
    void warningsAreCaptured() {
        String unused = "int main(void) { int unused_thing = 3; return 0; }\n";
        CompiledModule m = NativeBuild.build(GENERIC, Map.of("warn.c", unused), List.of(), cache);
        assertTrue(m.warnings().contains("unused variable"), m.warnings());
        CompiledModule again = NativeBuild.build(GENERIC, Map.of("warn.c", unused), List.of(), cache);
        assertTrue(again.cacheHit());
        assertEquals(m.warnings(), again.warnings(), "a cache hit reports the build's warnings too");
    }

    @Test
    void aMissingCompilerSaysHowToInstallIt() {
        Target noCc = new Target(
                "no-cc",
                GENERIC.arch(),
                List.of(),
                GENERIC.compilerFlags(),
                "qtune-no-such-cc",
                "test target",
                GENERIC.features());
        NativeBuildException e = assertThrows(
                NativeBuildException.class, () -> NativeBuild.build(noCc, Map.of("a.c", HELLO), List.of(), cache));
        assertEquals(
                "no C compiler for target no-cc: qtune-no-such-cc not found on PATH (apt-get install gcc)",
                e.getMessage());
    }

    @Test
    void sourceNamesMustBePlainCOrHeaderFiles() {
        assertThrows(
                IllegalArgumentException.class,
                () -> NativeBuild.build(GENERIC, Map.of("../evil.c", HELLO), List.of(), cache));
        assertThrows(
                IllegalArgumentException.class,
                () -> NativeBuild.build(GENERIC, Map.of("a.cpp", HELLO), List.of(), cache));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> NativeBuild.build(GENERIC, Map.of("a.h", HELLO), List.of(), cache));
        assertEquals("sources must include at least one .c file, but were [a.h]", e.getMessage());
    }
}
