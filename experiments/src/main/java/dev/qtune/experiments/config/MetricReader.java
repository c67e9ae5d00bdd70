package dev.qtune.experiments.config;

import dev.qtune.compiler.InputLimits;
import dev.qtune.compiler.quant.QuantConfigException;
import dev.qtune.compiler.quant.QuantConfigNode;
import dev.qtune.compiler.quant.QuantConfigYaml;
import dev.qtune.evaluator.metric.MetricSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a {@code metric} (docs/config.md, "Metrics"): {@code top1} (the default), {@code agreement},
 * {@code {top_k: K}}, or {@code {command: [PROGRAM, ARG...], timeout_s: S, name: N}}, from an
 * experiment file or from {@code qtune eval --metric}, in the same syntax.
 */
public final class MetricReader {
    /** The keys of a metric mapping. */
    static final List<String> KEYS = List.of("top_k", "command", "timeout_s", "name");
    /** Names a command metric may have: short, plain, so reports and records can show it as it is. */
    private static final Pattern METRIC_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.@-]{0,39}");

    private static final String ALLOWED =
            "top1, agreement, {top_k: K} or {command: [program, args...], timeout_s: seconds, name: label}";

    private MetricReader() {}

    /**
     * A command-line option's value, e.g. {@code --metric '{top_k: 5}'}: YAML as in an experiment
     * file; errors read "{@code <option>: <key>: <expected>, but was <found>}". A command runs in
     * {@code workDir}.
     */
    public static MetricSpec parse(String text, String option, Path workDir) {
        try {
            QuantConfigNode root = new QuantConfigNode(QuantConfigYaml.readTree("metric: " + text, option), "", option);
            return read(root.require("metric", "a metric: " + ALLOWED), workDir);
        } catch (QuantConfigException e) {
            throw new QuantConfigException(e.getMessage()
                    .replace(option + ": metric.", option + ": ")
                    .replace(option + ": metric:", option + ":"));
        }
    }

    /** The metric at {@code n} (top-1 when the key is absent: {@code n} null); a command runs in {@code workDir}. */
    static MetricSpec read(QuantConfigNode n, Path workDir) {
        if (n == null) {
            return MetricSpec.TOP1;
        }
        if (n.node().isTextual()) {
            return switch (n.node().asText()) {
                case "top1" -> MetricSpec.TOP1;
                case "agreement" -> MetricSpec.AGREEMENT;
                default ->
                    throw n.error(
                            "must be " + ALLOWED,
                            "'" + InputLimits.excerpt(n.node().asText()) + "'");
            };
        }
        if (!n.node().isObject()) {
            throw n.error("must be " + ALLOWED);
        }
        n.requireMapping(KEYS);
        Optional<QuantConfigNode> k = n.get("top_k");
        Optional<QuantConfigNode> command = n.get("command");
        if (k.isPresent() == command.isPresent()) {
            throw n.error("must have exactly one of top_k or command");
        }
        if (k.isPresent()) {
            if (n.get("timeout_s").isPresent() || n.get("name").isPresent()) {
                throw n.error("takes timeout_s and name only with command");
            }
            return MetricSpec.topK(k.get().integer(1, 1000, "in 1..1000"));
        }
        return MetricSpec.command(
                argv(command.get()),
                n.get("timeout_s")
                        .map(v -> v.number(x -> x > 0 && x <= 86_400, "in (0, 86400] seconds"))
                        .orElse(MetricSpec.DEFAULT_TIMEOUT_S),
                Optional.ofNullable(workDir),
                n.get("name").map(MetricReader::name).orElse("metric"));
    }

    private static List<String> argv(QuantConfigNode command) {
        List<String> argv = new ArrayList<>();
        for (QuantConfigNode a : command.elements("must be a list: the program, then its arguments (no shell)")) {
            if (!a.node().isValueNode() || a.node().isNull()) {
                throw a.error("must be a string (one argument)");
            }
            argv.add(a.node().asText());
        }
        if (argv.isEmpty() || argv.get(0).isBlank()) {
            throw command.error("must name a program first", argv.isEmpty() ? "an empty list" : "a blank program");
        }
        return argv;
    }

    private static String name(QuantConfigNode v) {
        String t = v.text("a name");
        if (!METRIC_NAME.matcher(t).matches()) {
            throw v.error(
                    "must be a short name (a letter, then up to 39 letters, digits, '_', '.', '@', '-')",
                    "'" + InputLimits.excerpt(t) + "'");
        }
        return t;
    }
}
