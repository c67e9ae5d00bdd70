package dev.qtune.evaluator.nativecode;

import dev.qtune.targets.HostCpu;
import dev.qtune.targets.RunMode;
import dev.qtune.targets.Target;
import dev.qtune.targets.Targets;
import dev.qtune.targets.Toolchain;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** Test helper: every target, and a skip that says plainly why a target does not run on this host. */
final class NativeTargets {
    static final HostCpu HOST = HostCpu.detect();

    private NativeTargets() {}

    static Stream<String> names() {
        return Targets.all().stream().map(Target::name);
    }

    /**
     * Whether this host can compile for the target but not run it (x86-avx512-vnni on an AVX2-only
     * x86 host): tests then check that its C compiles without warnings before they skip the run.
     */
    static boolean compilesOnly(Target t) {
        return HOST.runMode(t) == RunMode.NONE
                && t.arch().equals(HOST.arch())
                && Toolchain.find(t).isPresent();
    }

    /** The target, or the test is skipped (aborted) with the reason it cannot run here. */
    static Target runnable(String name) {
        Target t = Targets.byName(name);
        RunMode mode = HOST.runMode(t);
        Assumptions.assumeTrue(mode != RunMode.NONE, () -> {
            String why = "SKIPPED target " + name + ": " + HOST.whyNot(t);
            System.err.println(why);
            return why;
        });
        return t;
    }
}
