package dev.qtune.targets;

import dev.qtune.compiler.QtuneException;
import java.util.List;
import java.util.Objects;

/**
 * A native build that did not produce an executable: no compiler, a compile error or a compiler
 * that timed out. The message is complete for a person (the command line and the start of the
 * compiler's output); {@link #command()} and {@link #compilerOutput()} give the parts.
 * It is a {@link QtuneException}, so the CLI prints it as one error without a stack trace.
 */
public class NativeBuildException extends QtuneException {
    private final List<String> command;
    private final String compilerOutput;

    public NativeBuildException(String message, List<String> command, String compilerOutput) {
        super(message);
        this.command = List.copyOf(Objects.requireNonNull(command, "command"));
        this.compilerOutput = Objects.requireNonNull(compilerOutput, "compilerOutput");
    }

    public NativeBuildException(String message, Throwable cause) {
        super(message, cause);
        this.command = List.of();
        this.compilerOutput = "";
    }

    /** The compiler's command line; empty when the compiler never ran. */
    public List<String> command() {
        return command;
    }

    /** Everything the compiler wrote to stderr; empty when it never ran. */
    public String compilerOutput() {
        return compilerOutput;
    }
}
