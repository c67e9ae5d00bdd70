package dev.qtune.compiler.quant;

import dev.qtune.compiler.lower.ScheduleConfig;
import java.util.Objects;
import java.util.Optional;

/**
 * What a quant config file holds: the quant config and, optionally, the kernel schedule a search
 * built it with (top-level key {@code schedule}: the target it was found for and the knob values per
 * layer; docs/config.md). A file without a schedule has {@link ScheduleConfig#EMPTY} (defaults) and
 * no target. The schedule is strict: a value its layer does not offer is an error when the module is
 * generated, never replaced by a default.
 *
 * @param config         the quantization settings
 * @param schedule       layer -> knob -> value; empty for default schedules
 * @param scheduleTarget the target the schedule was found for ({@code schedule.target}), if the file says
 */
public record QuantConfigFile(QuantConfig config, ScheduleConfig schedule, Optional<String> scheduleTarget) {
    public QuantConfigFile {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(scheduleTarget, "scheduleTarget");
        if (schedule.lenient()) {
            throw new IllegalArgumentException("a quant config file's schedule must be strict, but was lenient");
        }
    }

    /** A file with default schedules. */
    public static QuantConfigFile of(QuantConfig config) {
        return new QuantConfigFile(config, ScheduleConfig.EMPTY, Optional.empty());
    }

    /** Whether the file sets any knob. */
    public boolean hasSchedule() {
        return !schedule.layers().isEmpty();
    }
}
