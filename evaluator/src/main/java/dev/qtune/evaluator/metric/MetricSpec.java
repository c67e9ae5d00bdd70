package dev.qtune.evaluator.metric;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The accuracy measure of a search or an evaluation (docs/config.md, {@code metric}): higher is
 * better. {@code top1} and {@code top_k} need labels; {@code agreement} (the fraction of samples
 * whose top class is the fp32 model's) needs none; a {@code command} is any program that reads the
 * model's outputs (and labels, if any) as .npy files and prints one number.
 *
 * @param kind      which measure
 * @param k         top_k's k (1 for top1, 0 otherwise)
 * @param command   the program and its arguments (an argument array, never a shell line);
 *                  empty unless kind is COMMAND
 * @param timeoutSeconds how long the command may run
 * @param workDir   the command's working directory (the experiment file's folder); empty = this process's
 * @param name      the command metric's name in reports
 */
public record MetricSpec(
        Kind kind, int k, List<String> command, double timeoutSeconds, Optional<Path> workDir, String name) {
    /** The measures. */
    public enum Kind {
        TOP1,
        TOP_K,
        AGREEMENT,
        COMMAND
    }

    /** The default: top-1 against the labels. */
    public static final MetricSpec TOP1 = new MetricSpec(Kind.TOP1, 1, List.of(), 0, Optional.empty(), "top1");
    /** Agreement with the fp32 model. */
    public static final MetricSpec AGREEMENT =
            new MetricSpec(Kind.AGREEMENT, 0, List.of(), 0, Optional.empty(), "agreement");
    /** The default timeout of a command, in seconds. */
    public static final double DEFAULT_TIMEOUT_S = 300;

    public MetricSpec {
        Objects.requireNonNull(kind, "kind");
        command = List.copyOf(command);
        Objects.requireNonNull(workDir, "workDir");
        if (kind == Kind.TOP_K && k < 1) {
            throw new IllegalArgumentException("top_k must be >= 1, but was " + k);
        }
        if (kind == Kind.COMMAND && (command.isEmpty() || command.get(0).isBlank())) {
            throw new IllegalArgumentException("command must name a program, but was " + command);
        }
        if (kind == Kind.COMMAND && !(timeoutSeconds > 0)) {
            throw new IllegalArgumentException("timeout must be > 0 s, but was " + timeoutSeconds);
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank, but was '" + name + "'");
        }
    }

    /** top-k against the labels. */
    public static MetricSpec topK(int k) {
        return k == 1 ? TOP1 : new MetricSpec(Kind.TOP_K, k, List.of(), 0, Optional.empty(), "top" + k);
    }

    /** An external command, named {@code name} in reports. */
    public static MetricSpec command(List<String> command, double timeoutSeconds, Optional<Path> workDir, String name) {
        return new MetricSpec(Kind.COMMAND, 0, command, timeoutSeconds, workDir, name);
    }

    /** The name reports and records use: top1, top5, agreement, or the command metric's name. */
    public String label() {
        return name;
    }

    /** Whether values are fractions in [0, 1] (shown as percentages; max_drop's absolute is in points). */
    public boolean fraction() {
        return kind != Kind.COMMAND;
    }

    /** Whether the measure needs labels. */
    public boolean needsLabels() {
        return kind == Kind.TOP1 || kind == Kind.TOP_K;
    }

    /** Whether the measure needs the fp32 model's outputs on the same samples. */
    public boolean needsReference() {
        return kind == Kind.AGREEMENT;
    }

    /** The name people read: "top-1" for top1, else the label. */
    public String title() {
        return kind == Kind.TOP1 ? "top-1" : name;
    }

    /** A value as reports print it: a percentage with two decimals for fractions, else four significant digits. */
    public String format(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return fraction()
                ? String.format(Locale.ROOT, "%.2f%%", 100 * value)
                : String.format(Locale.ROOT, "%.4g", value);
    }

    @Override
    public String toString() {
        return kind == Kind.COMMAND
                ? name + " (command " + String.join(" ", command) + ")"
                : name.toLowerCase(Locale.ROOT);
    }
}
