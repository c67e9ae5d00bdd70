package dev.qtune.experiments.cli;

import dev.qtune.targets.HostCpu;
import dev.qtune.targets.RunMode;
import dev.qtune.targets.Target;
import dev.qtune.targets.Targets;
import picocli.CommandLine;

/**
 * The target of a command that measures on this host (search, sweep, sensitivity, tune, build):
 * the named one, or for {@code auto} the host's best native target ({@link Targets#bestNative});
 * either must run natively here.
 */
final class HostTarget {
    private HostTarget() {}

    /** The target named {@code name} (or {@code auto}); a parameter error when it does not run natively here. */
    static Target resolve(CommandLine cmd, String name) {
        HostCpu host = HostCpu.detect();
        if (name.equals(Targets.AUTO)) {
            return Targets.bestNative(host)
                    .orElseThrow(() -> new CommandLine.ParameterException(
                            cmd, "target auto: no target runs natively on this host"));
        }
        Target t = Targets.byName(name);
        if (host.runMode(t) != RunMode.NATIVE) {
            throw new CommandLine.ParameterException(
                    cmd,
                    "target " + name + " does not run natively on this host " + "(a search measures latency): "
                            + host.whyNot(t));
        }
        return t;
    }
}
