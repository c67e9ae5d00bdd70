package dev.qtune.evaluator.metric;

import dev.qtune.compiler.InputLimits;
import dev.qtune.evaluator.data.NpyWriter;
import dev.qtune.targets.NativeProcess;
import dev.qtune.targets.ProcessResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A user's metric as a program: the model's outputs are written to {@code outputs.npy} (float32,
 * {@code [n, ...sample shape]}) and the labels, if the split has them, to {@code labels.npy}
 * (int64, {@code [n]}) in a fresh temporary folder; the program runs with its argument array plus
 * those paths appended (also in {@code QTUNE_OUTPUTS} and {@code QTUNE_LABELS}), no shell, no
 * standard input, in the experiment file's folder, and must exit 0 within its timeout having
 * printed one number on stdout. Anything else is a {@link MetricException} whose one line says
 * what the program did (its exit status and last stderr line, or the timeout, or what it printed).
 */
final class CommandMetric {
    private CommandMetric() {}

    static double run(MetricSpec metric, float[] outputs, int n, int[] sampleShape, int[] labels) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("qtune-metric-");
            Map<String, String> env = new HashMap<>();
            List<String> argv = writeInputs(metric, dir, outputs, n, sampleShape, labels, env);
            ProcessResult r = NativeProcess.run(
                    argv,
                    Duration.ofMillis((long) (metric.timeoutSeconds() * 1000)),
                    metric.workDir().orElse(null),
                    env);
            String program =
                    "metric command " + InputLimits.excerpt(metric.command().get(0));
            if (!r.ok()) {
                throw new MetricException(program + " failed: " + r.reason());
            }
            return parse(r.stdout(), program);
        } catch (UncheckedIOException e) {
            throw new MetricException(
                    "metric command " + InputLimits.excerpt(metric.command().get(0)) + " could not run: "
                            + firstLine(e.getMessage()),
                    e);
        } catch (IOException e) {
            throw new MetricException("metric command: cannot write its inputs: " + InputLimits.reason(e), e);
        } finally {
            delete(dir);
        }
    }

    /**
     * Writes outputs.npy (and labels.npy, where there are labels) into {@code dir}: the command line
     * that passes them, with their paths also in {@code env}.
     */
    private static List<String> writeInputs(
            MetricSpec metric,
            Path dir,
            float[] outputs,
            int n,
            int[] sampleShape,
            int[] labels,
            Map<String, String> env)
            throws IOException {
        int[] shape = new int[sampleShape.length + 1];
        shape[0] = n;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        Path out = dir.resolve("outputs.npy");
        NpyWriter.write(out, shape, outputs);
        List<String> argv = new ArrayList<>(metric.command());
        argv.add(out.toString());
        env.put("QTUNE_OUTPUTS", out.toString());
        env.put("QTUNE_LABELS", "");
        if (labels != null) {
            Path lab = dir.resolve("labels.npy");
            long[] l = new long[n];
            for (int i = 0; i < n; i++) {
                l[i] = labels[i];
            }
            NpyWriter.write(lab, new int[] {n}, l);
            argv.add(lab.toString());
            env.put("QTUNE_LABELS", lab.toString());
        }
        return argv;
    }

    /** The one number a command printed: stdout, trimmed, must be a finite decimal number. */
    static double parse(String stdout, String program) {
        String t = stdout.strip();
        try {
            double v = Double.parseDouble(t);
            if (Double.isFinite(v)
                    && !t.isEmpty()
                    && t.chars().noneMatch(Character::isWhitespace)
                    && !t.endsWith("d")
                    && !t.endsWith("D")
                    && !t.endsWith("f")
                    && !t.endsWith("F")) {
                return v;
            }
        } catch (NumberFormatException e) {
            // the error below
        }
        throw new MetricException(program + " printed " + (t.isEmpty() ? "nothing" : "'" + InputLimits.excerpt(t) + "'")
                + " on stdout, expected one number");
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover temporary folder is harmless
        }
    }
}
