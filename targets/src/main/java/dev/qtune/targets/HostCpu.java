package dev.qtune.targets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CPU of this host, from /proc/cpuinfo, and whether a {@link Target} runs here.
 *
 * @param arch      {@code x86_64} or {@code aarch64} (other values are kept as the JVM names them)
 * @param modelName the CPU's name ("model name" on x86, built from the implementer/part ids on aarch64)
 * @param flags     the CPU feature flags every processor has ("flags" on x86, "Features" on aarch64)
 * @param cores     processors: those listed in cpuinfo for {@link #parse}, those this JVM may use for {@link #detect}
 */
public record HostCpu(String arch, String modelName, Set<String> flags, int cores) {
    public static final String X86_64 = "x86_64";
    public static final String AARCH64 = "aarch64";
    /** Where a Debian cross toolchain keeps the aarch64 libraries qemu needs. */
    static final String AARCH64_SYSROOT = "/usr/aarch64-linux-gnu";

    static final String CROSS_INSTALL_HINT = "apt-get install gcc-aarch64-linux-gnu qemu-user";

    private static final Logger LOG = LoggerFactory.getLogger(HostCpu.class);
    private static final Path CPUINFO = Path.of("/proc/cpuinfo");
    private static volatile HostCpu detected;

    public HostCpu {
        if (arch == null || arch.isBlank()) {
            throw new IllegalArgumentException("host arch must be non-blank, but was '" + arch + "'");
        }
        Objects.requireNonNull(modelName, "modelName");
        flags = Collections.unmodifiableSet(new TreeSet<>(Objects.requireNonNull(flags, "flags")));
        if (cores < 1) {
            throw new IllegalArgumentException("cores must be >= 1, but was " + cores);
        }
    }

    /** This host (read once, then cached). A missing /proc/cpuinfo gives no flags, not an error. */
    public static HostCpu detect() {
        HostCpu h = detected;
        if (h == null) {
            String text = "";
            try {
                text = Files.readString(CPUINFO);
            } catch (IOException | RuntimeException e) {
                LOG.debug("cannot read {} ({}); assuming no CPU flags", CPUINFO, e.toString());
            }
            HostCpu parsed = parse(text, hostArch());
            h = new HostCpu(
                    parsed.arch(),
                    parsed.modelName(),
                    parsed.flags(),
                    Runtime.getRuntime().availableProcessors());
            detected = h;
            LOG.debug(
                    "host CPU: {} ({}, {} cores, {} flags)",
                    h.modelName(),
                    h.arch(),
                    h.cores(),
                    h.flags().size());
        }
        return h;
    }

    /** The JVM's architecture, normalised: amd64 and x86_64 give x86_64; aarch64 and arm64 give aarch64. */
    public static String hostArch() {
        return normaliseArch(System.getProperty("os.arch", ""));
    }

    static String normaliseArch(String osArch) {
        String a = osArch.trim().toLowerCase(Locale.ROOT);
        switch (a) {
            case "amd64":
            case "x86_64":
            case "x86-64":
                return X86_64;
            case "aarch64":
            case "arm64":
                return AARCH64;
            default:
                return a.isEmpty() ? "unknown" : a;
        }
    }

    /**
     * Parses /proc/cpuinfo text. The flags are those every listed processor has (x86 "flags" or
     * aarch64 "Features" lines); cores is the number of "processor" entries (at least 1).
     */
    public static HostCpu parse(String cpuinfoText, String arch) {
        String normalisedArch = normaliseArch(Objects.requireNonNull(arch, "arch"));
        Set<String> flags = null;
        int processors = 0;
        String model = null;
        String implementer = null;
        String part = null;
        for (String line : Objects.requireNonNull(cpuinfoText, "cpuinfoText").split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            switch (key) {
                case "processor" -> processors++;
                case "flags", "Features" -> {
                    Set<String> these = new LinkedHashSet<>(Arrays.asList(value.split("\\s+")));
                    these.remove("");
                    if (flags == null) {
                        flags = these;
                    } else {
                        flags.retainAll(these);
                    }
                }
                case "model name", "Model", "Hardware" -> model = model == null ? value : model;
                case "CPU implementer" -> implementer = implementer == null ? value : implementer;
                case "CPU part" -> part = part == null ? value : part;
                default -> {}
            }
        }
        if (model == null && implementer != null) {
            model = "aarch64 CPU (implementer " + implementer + (part == null ? "" : ", part " + part) + ")";
        }
        return new HostCpu(
                normalisedArch,
                model == null || model.isBlank() ? "unknown CPU" : model,
                flags == null ? Set.of() : flags,
                Math.max(1, processors));
    }

    /** How binaries built for the target run here. */
    public RunMode runMode(Target t) {
        return runMode(t, PathLookup::onPath);
    }

    RunMode runMode(Target t, Predicate<String> onPath) {
        if (t.arch().equals(arch)) {
            return flags.containsAll(t.requiredCpuFlags()) ? RunMode.NATIVE : RunMode.NONE;
        }
        if (canEmulate(t) && onPath.test(t.compilerCommand()) && emulator(t, onPath) != null) {
            return RunMode.EMULATED;
        }
        return RunMode.NONE;
    }

    /**
     * Why the target does not run natively here, in plain words: empty for {@link RunMode#NATIVE},
     * a note for {@link RunMode#EMULATED}, the reason (and the fix, where there is one) for NONE.
     */
    public String whyNot(Target t) {
        return whyNot(t, PathLookup::onPath);
    }

    String whyNot(Target t, Predicate<String> onPath) {
        if (t.arch().equals(arch)) {
            List<String> missing = new ArrayList<>();
            for (String f : t.requiredCpuFlags()) {
                if (!flags.contains(f)) {
                    missing.add(f);
                }
            }
            return missing.isEmpty() ? "" : "this CPU (" + modelName + ") lacks " + String.join(", ", missing);
        }
        if (!canEmulate(t)) {
            return "this CPU is " + arch + " and " + t.name() + " needs " + t.arch();
        }
        if (!onPath.test(t.compilerCommand())) {
            return t.compilerCommand() + " not found (" + CROSS_INSTALL_HINT + ")";
        }
        String qemu = emulator(t, onPath);
        if (qemu == null) {
            return "qemu-" + t.arch() + " not found (apt-get install qemu-user)";
        }
        return "this CPU is " + arch + "; runs under " + qemu + " (correctness only, no latency)";
    }

    /**
     * The command prefix that runs a binary built for the target: empty for NATIVE, the emulator
     * and its sysroot for EMULATED. IllegalArgumentException for a target that does not run here.
     */
    public List<String> launcher(Target t) {
        RunMode mode = runMode(t);
        return switch (mode) {
            case NATIVE -> List.of();
            case EMULATED -> List.of(emulator(t, PathLookup::onPath), "-L", AARCH64_SYSROOT);
            case NONE ->
                throw new IllegalArgumentException("target " + t.name() + " does not run on this host: " + whyNot(t));
        };
    }

    /** Only aarch64 code on an x86_64 host is emulated (a Debian cross toolchain and qemu-user). */
    private boolean canEmulate(Target t) {
        return X86_64.equals(arch) && AARCH64.equals(t.arch());
    }

    private static String emulator(Target t, Predicate<String> onPath) {
        for (String name : List.of("qemu-" + t.arch(), "qemu-" + t.arch() + "-static")) {
            if (onPath.test(name)) {
                return name;
            }
        }
        return null;
    }
}
