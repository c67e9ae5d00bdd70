package dev.qtune.targets;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * qtune's own peak microbenchmark ({@code native/peak.c}, a classpath resource): the sustained
 * one-core GMAC/s of fp32 FMA, the target's int8 instruction and the 16-bit exact path, built
 * for the target with {@link NativeBuild} and run under the {@link HostLock} so that no other
 * benchmark on the host overlaps it. It is the roof that generated kernels are compared against.
 */
public final class PeakBenchmark {
    /** The C source, as a classpath resource. */
    public static final String RESOURCE = "native/peak.c";
    /** Seconds the program measures each of its three kinds. */
    static final double SECONDS_PER_KIND = 0.3;

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Logger LOG = LoggerFactory.getLogger(PeakBenchmark.class);

    private PeakBenchmark() {}

    /**
     * Builds and runs the microbenchmark for a target that runs natively here.
     *
     * @throws IllegalArgumentException when the target does not run natively on this host (emulated
     *                                  timings mean nothing)
     * @throws NativeBuildException     when it cannot be built
     * @throws IllegalStateException    when the program fails or prints something unexpected
     */
    public static PeakResult measure(Target t, Path cacheDir) {
        HostCpu host = HostCpu.detect();
        if (host.runMode(t) != RunMode.NATIVE) {
            throw new IllegalArgumentException(
                    "peak needs a target that runs natively here, but " + t.name() + " does not: " + host.whyNot(t));
        }
        CompiledModule module = NativeBuild.build(t, Map.of("peak.c", source()), List.of(), cacheDir);
        List<String> command = new ArrayList<>(host.launcher(t));
        command.add(module.executable().toString());
        command.add(String.format(Locale.ROOT, "%.3f", SECONDS_PER_KIND));
        ProcessResult r;
        try (HostLock lock = HostLock.acquire(HostLock.lockFileIn(cacheDir))) {
            r = NativeProcess.run(command, TIMEOUT, module.directory(), Map.of("OMP_NUM_THREADS", "1"));
        }
        if (!r.ok()) {
            throw new IllegalStateException("peak benchmark for " + t.name() + " failed: " + r.reason());
        }
        PeakResult result = parse(r.stdout());
        LOG.debug("peak {} on {}: {}", t.name(), host.modelName(), result);
        return result;
    }

    /** The benchmark's C source. */
    public static String source() {
        try (InputStream in = PeakBenchmark.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        "classpath resource " + RESOURCE + " is missing next to " + PeakBenchmark.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /** Parses the program's one line, e.g. {@code {"fp32_gmacs": 50.8, ..., "int8_instruction": "vpdpbusd"}}. */
    static PeakResult parse(String output) {
        String line = output.strip();
        return new PeakResult(
                number(line, "fp32_gmacs"),
                number(line, "int8_gmacs"),
                number(line, "int16_gmacs"),
                text(line, "int8_instruction"));
    }

    private static double number(String line, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*([-+0-9.eE]+)").matcher(line);
        if (!m.find()) {
            throw new IllegalStateException(
                    "peak benchmark output must have a number \"" + key + "\", but was: " + line);
        }
        return Double.parseDouble(m.group(1));
    }

    private static String text(String line, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\"([^\"]*)\"").matcher(line);
        if (!m.find()) {
            throw new IllegalStateException(
                    "peak benchmark output must have a string \"" + key + "\", but was: " + line);
        }
        return m.group(1);
    }
}
