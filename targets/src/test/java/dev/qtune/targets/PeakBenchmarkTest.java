package dev.qtune.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeakBenchmarkTest {
    @TempDir
    static Path cache;

    /** The most capable target that runs natively here (generic-c always does). */
    static Target bestNative() {
        HostCpu host = HostCpu.detect();
        List<Target> all = new ArrayList<>(Targets.all());
        Collections.reverse(all);
        return all.stream()
                .filter(t -> host.runMode(t) == RunMode.NATIVE)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void measuresTheBestNativeTarget() {
        Target t = bestNative();
        assumeTrue(Toolchain.find(t).isPresent(), "no compiler " + t.compilerCommand() + " for " + t.name());
        PeakResult r = PeakBenchmark.measure(t, cache);
        assertTrue(r.fp32Gmacs() > 0 && r.int8Gmacs() > 0 && r.int16Gmacs() > 0, r.toString());
        String expected = switch (t.name()) {
            case "x86-avx512-vnni" -> "vpdpbusd";
            case "x86-avx2" -> "vpmaddubsw+vpmaddwd";
            case "aarch64-neon-dot" -> "sdot";
            default -> "c";
        };
        assertEquals(expected, r.int8Instruction());
    }

    @Test
    void compilesWithoutWarningsForEveryTargetWithACompiler() {
        int built = 0;
        for (Target t : Targets.all()) {
            if (Toolchain.find(t).isEmpty()) {
                continue;
            }
            CompiledModule m = NativeBuild.build(t, Map.of("peak.c", PeakBenchmark.source()), List.of(), cache);
            assertEquals("", m.warnings(), t.name());
            built++;
        }
        assertTrue(built >= 1);
    }

    @Test
    void runsUnderEmulationForCorrectness() {
        Target neon = Targets.byName("aarch64-neon-dot");
        HostCpu host = HostCpu.detect();
        assumeTrue(
                host.runMode(neon) == RunMode.EMULATED, "aarch64-neon-dot is not emulated here: " + host.whyNot(neon));
        CompiledModule m = NativeBuild.build(neon, Map.of("peak.c", PeakBenchmark.source()), List.of(), cache);
        List<String> command = new ArrayList<>(host.launcher(neon));
        command.add(m.executable().toString());
        command.add("0.01");
        ProcessResult r = NativeProcess.run(command, Duration.ofSeconds(60), null, Map.of());
        assertTrue(r.ok(), r.reason());
        assertEquals("sdot", PeakBenchmark.parse(r.stdout()).int8Instruction());
    }

    @Test
    void refusesATargetThatDoesNotRunNatively() {
        HostCpu host = HostCpu.detect();
        for (Target t : Targets.all()) {
            if (host.runMode(t) != RunMode.NATIVE) {
                IllegalArgumentException e =
                        assertThrows(IllegalArgumentException.class, () -> PeakBenchmark.measure(t, cache));
                assertTrue(e.getMessage().contains(host.whyNot(t)), e.getMessage());
            }
        }
    }

    @Test
    void parsesTheProgramsLine() {
        PeakResult r = PeakBenchmark.parse("{\"fp32_gmacs\": 50.8, \"int8_gmacs\": 85.9, \"int16_gmacs\": 43.0, "
                + "\"int8_instruction\": \"vpmaddubsw+vpmaddwd\"}\n");
        assertEquals(new PeakResult(50.8, 85.9, 43.0, "vpmaddubsw+vpmaddwd"), r);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PeakBenchmark.parse("garbage"));
        assertTrue(e.getMessage().contains("\"fp32_gmacs\""), e.getMessage());
    }
}
