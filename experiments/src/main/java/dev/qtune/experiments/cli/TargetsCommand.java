package dev.qtune.experiments.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qtune.evaluator.calibration.CalibrationCache;
import dev.qtune.targets.HostCpu;
import dev.qtune.targets.PeakBenchmark;
import dev.qtune.targets.PeakResult;
import dev.qtune.targets.RunMode;
import dev.qtune.targets.Target;
import dev.qtune.targets.Targets;
import dev.qtune.targets.Toolchain;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `qtune targets [--json] [--peak]`: the code-generation targets, whether each runs on this host
 * (natively, emulated for correctness only, or not, and why), its compiler and description; with
 * --peak also the one-core peak GMAC/s of every target that runs natively (docs/targets.md).
 */
@Command(name = "targets", description = "List the code-generation targets and whether they run on this host.")
final class TargetsCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print JSON (keys: host, targets; see docs/targets.md).")
    boolean json;

    @Option(
            names = "--peak",
            description = "Also measure the peak fp32/int8/int16 GMAC/s (one core) of each native target.")
    boolean peak;

    @Spec
    CommandSpec spec;

    /** One target as seen from this host. */
    private record Row(
            Target target,
            RunMode mode,
            String reason,
            Optional<Toolchain> compiler,
            PeakResult peak,
            String peakError) {}

    @Override
    public Integer call() {
        HostCpu host = HostCpu.detect();
        List<Row> rows = new ArrayList<>();
        for (Target t : Targets.all()) {
            RunMode mode = host.runMode(t);
            Optional<Toolchain> cc = Toolchain.find(t);
            PeakResult p = null;
            String peakError = null;
            if (peak && mode == RunMode.NATIVE && cc.isPresent()) {
                spec.commandLine().getErr().printf("qtune: measuring the peak of %s...%n", t.name());
                spec.commandLine().getErr().flush();
                try {
                    p = PeakBenchmark.measure(t, CalibrationCache.defaultDir());
                } catch (RuntimeException e) {
                    peakError = e.getMessage();
                }
            }
            rows.add(new Row(t, mode, host.whyNot(t), cc, p, peakError));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(toJson(host, rows)));
        } else {
            printTable(out, host, rows);
        }
        return 0;
    }

    private ObjectNode toJson(HostCpu host, List<Row> rows) {
        ObjectNode root = Json.object();
        ObjectNode h = root.putObject("host");
        h.put("arch", host.arch());
        h.put("model", host.modelName());
        h.put("cores", host.cores());
        ArrayNode flags = h.putArray("flags");
        host.flags().forEach(flags::add);
        ArrayNode targets = root.putArray("targets");
        for (Row r : rows) {
            Target t = r.target();
            ObjectNode o = targets.addObject();
            o.put("name", t.name());
            o.put("arch", t.arch());
            o.put("run_mode", r.mode().name().toLowerCase(Locale.ROOT));
            o.put("reason", r.reason());
            if (r.compiler().isPresent()) {
                ObjectNode c = o.putObject("compiler");
                c.put("path", r.compiler().get().executable().toString());
                c.put("version", r.compiler().get().version());
            } else {
                o.putNull("compiler");
            }
            strings(o.putArray("compiler_flags"), t.compilerFlags());
            strings(o.putArray("required_cpu_flags"), t.requiredCpuFlags());
            o.put("vector_bytes", t.vectorBytes());
            o.put("description", t.description());
            strings(o.putArray("arithmetic_limits"), t.arithmeticLimits());
            if (r.peak() != null) {
                ObjectNode p = o.putObject("peak");
                p.put("fp32_gmacs", r.peak().fp32Gmacs());
                p.put("int8_gmacs", r.peak().int8Gmacs());
                p.put("int16_gmacs", r.peak().int16Gmacs());
                p.put("int8_instruction", r.peak().int8Instruction());
            } else if (r.peakError() != null) {
                o.put("peak_error", r.peakError());
            }
        }
        return root;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private void printTable(PrintWriter out, HostCpu host, List<Row> rows) {
        out.printf("host: %s (%s, %d cores)%n%n", host.modelName(), host.arch(), host.cores());
        Map<String, List<String>> columns = new LinkedHashMap<>();
        for (String c : List.of("target", "arch", "runs here", "compiler", "description")) {
            columns.put(c, new ArrayList<>());
        }
        for (Row r : rows) {
            columns.get("target").add(r.target().name());
            columns.get("arch").add(r.target().arch());
            columns.get("runs here")
                    .add(
                            switch (r.mode()) {
                                case NATIVE -> "native";
                                case EMULATED -> "emulated (correctness only)";
                                case NONE -> "no: " + r.reason();
                            });
            columns.get("compiler")
                    .add(r.compiler()
                            .map(Toolchain::version)
                            .orElse("not found (" + Toolchain.installHint(r.target()) + ")"));
            columns.get("description").add(r.target().description());
        }
        printColumns(out, columns, rows.size());
        if (peak) {
            out.println();
            printPeaks(out, rows);
        }
    }

    /** The peak table: one row per target measured (or failed). */
    private static void printPeaks(PrintWriter out, List<Row> rows) {
        Map<String, List<String>> p = new LinkedHashMap<>();
        for (String c : List.of("peak, one core", "fp32 GMAC/s", "int8 GMAC/s", "int16 GMAC/s", "int8 instruction")) {
            p.put(c, new ArrayList<>());
        }
        int n = 0;
        for (Row r : rows) {
            if (r.peak() == null && r.peakError() == null) {
                continue;
            }
            n++;
            p.get("peak, one core").add(r.target().name());
            if (r.peak() != null) {
                p.get("fp32 GMAC/s")
                        .add(String.format(Locale.ROOT, "%.1f", r.peak().fp32Gmacs()));
                p.get("int8 GMAC/s")
                        .add(String.format(Locale.ROOT, "%.1f", r.peak().int8Gmacs()));
                p.get("int16 GMAC/s")
                        .add(String.format(Locale.ROOT, "%.1f", r.peak().int16Gmacs()));
                p.get("int8 instruction").add(r.peak().int8Instruction());
            } else {
                p.get("fp32 GMAC/s")
                        .add("failed: " + r.peakError().lines().findFirst().orElse(""));
                List.of("int8 GMAC/s", "int16 GMAC/s", "int8 instruction")
                        .forEach(c -> p.get(c).add(""));
            }
        }
        printColumns(out, p, n);
    }

    /** Left-aligned columns, two spaces apart; the last column is not padded. */
    private static void printColumns(PrintWriter out, Map<String, List<String>> columns, int rows) {
        List<String> names = new ArrayList<>(columns.keySet());
        int[] width = new int[names.size()];
        for (int c = 0; c < names.size(); c++) {
            width[c] = names.get(c).length();
            for (String v : columns.get(names.get(c))) {
                width[c] = Math.max(width[c], v.length());
            }
        }
        for (int r = -1; r < rows; r++) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < names.size(); c++) {
                String v = r < 0 ? names.get(c) : columns.get(names.get(c)).get(r);
                line.append(c == names.size() - 1 ? v : String.format("%-" + width[c] + "s  ", v));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
