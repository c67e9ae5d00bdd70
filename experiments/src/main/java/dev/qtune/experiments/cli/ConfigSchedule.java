package dev.qtune.experiments.cli;

import dev.qtune.compiler.lower.LoweringException;
import dev.qtune.compiler.lower.ScheduleConfig;
import dev.qtune.compiler.quant.QuantConfigException;
import dev.qtune.compiler.quant.QuantConfigFile;
import dev.qtune.targets.Target;
import dev.qtune.targets.codegen.CModule;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The schedule section of a quant config file (docs/config.md, "Schedule") applied to native code:
 * it must be for the target built, its values must suit their layers, and its layers must be the
 * module's. Each refusal is one line naming the file and the key.
 */
final class ConfigSchedule {
    private ConfigSchedule() {}

    /** The file's schedule for {@code target}; an error when the file's schedule was found for another target. */
    static ScheduleConfig forTarget(QuantConfigFile f, Path file, Target target) {
        f.scheduleTarget().filter(t -> !t.equals(target.name())).ifPresent(t -> {
            throw new QuantConfigException(file + ": schedule.target: the schedule was found for " + t
                    + " and applies only there, but the target is " + target.name() + " (build for " + t
                    + ", or remove the schedule section to use default schedules on " + target.name() + ")");
        });
        return f.schedule();
    }

    /**
     * Generates code with the file's schedule: a knob value the layer does not offer becomes an error
     * naming the file; then every layer the file schedules must be one of the module's.
     */
    static <T> T generate(QuantConfigFile f, Path file, Supplier<T> generate, Function<T, CModule> module) {
        T result;
        try {
            result = generate.get();
        } catch (LoweringException e) {
            if (f.hasSchedule() && e.getMessage().startsWith("schedule for layer")) {
                throw new QuantConfigException(file + ": schedule.layers: " + e.getMessage());
            }
            throw e;
        }
        checkLayers(f, file, module.apply(result));
        return result;
    }

    private static void checkLayers(QuantConfigFile f, Path file, CModule m) {
        for (String layer : f.schedule().layers().keySet()) {
            if (!m.layers().contains(layer)) {
                throw new QuantConfigException(file + ": schedule.layers." + layer + ": not a layer of the generated "
                        + "module; its layers are: " + String.join(", ", m.layers()));
            }
        }
    }
}
