package dev.qtune.targets;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The commands of one library build, run one after another in its folder with an argument array
 * (never a shell) and {@code LC_ALL=C}; what they wrote on stderr is kept as warnings, and the
 * first that fails ends the build with its command and its first lines of output.
 */
final class LibrarySteps {
    private final Path dir;
    private final Target target;
    private final Duration timeout;
    private final List<String> commands = new ArrayList<>();
    private final StringBuilder warnings = new StringBuilder();
    private double seconds;

    LibrarySteps(Path dir, Target target, Duration timeout) {
        this.dir = dir;
        this.target = target;
        this.timeout = timeout;
    }

    void run(List<String> command) {
        commands.add(String.join(" ", command));
        ProcessResult r;
        try {
            r = NativeProcess.run(command, timeout, dir, Map.of("LC_ALL", "C"));
        } catch (UncheckedIOException e) {
            throw new NativeBuildException(
                    "cannot run " + command.get(0) + " for target " + target.name() + " ("
                            + Toolchain.installHint(target) + "): " + e.getMessage(),
                    e);
        }
        seconds += r.seconds();
        if (!r.ok()) {
            StringBuilder msg = new StringBuilder("library build for target ")
                    .append(target.name())
                    .append(" failed (")
                    .append(r.reason().replaceFirst("; stderr: .*", ""))
                    .append(")\n  ")
                    .append(String.join(" ", command));
            List<String> lines = r.stderr().strip().lines().toList();
            lines.stream()
                    .limit(NativeBuild.ERROR_LINES)
                    .forEach(l -> msg.append('\n').append(l));
            if (lines.size() > NativeBuild.ERROR_LINES) {
                msg.append("\n(").append(lines.size() - NativeBuild.ERROR_LINES).append(" more lines)");
            }
            throw new NativeBuildException(msg.toString(), command, r.stderr());
        }
        warnings.append(r.stderr());
    }

    List<String> commands() {
        return List.copyOf(commands);
    }

    String warnings() {
        return warnings.toString();
    }

    double seconds() {
        return seconds;
    }
}
