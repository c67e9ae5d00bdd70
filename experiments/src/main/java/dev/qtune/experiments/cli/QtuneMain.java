package dev.qtune.experiments.cli;

import dev.qtune.compiler.QtuneException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The qtune command line. Every subcommand writes its result to stdout (a table, or JSON with
 * --json) and everything else (progress, logs, errors) to stderr. A failure is one line on stderr
 * and a non-zero exit status: 1 for a bad input or a failed run, 2 for a bad command line.
 */
@Command(
        name = "qtune",
        mixinStandardHelpOptions = true,
        scope = CommandLine.ScopeType.INHERIT,
        version = "qtune 0.1.0",
        description = "Search-based automated quantization of ONNX models.",
        subcommands = {
            InspectCommand.class,
            EvalCommand.class,
            TableCommand.class,
            ExportCommand.class,
            BuildCommand.class,
            ZooCommand.class,
            TargetsCommand.class,
            BenchCommand.class,
            SearchCommand.class,
            ReportCommand.class,
            CompareCommand.class,
            SweepCommand.class,
            SensitivityCommand.class,
            TuneCommand.class,
            CommandLine.HelpCommand.class
        })
public final class QtuneMain implements Runnable {
    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "missing command: choose one of "
                        + String.join(", ", spec.subcommands().keySet()));
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams; returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        QtuneMain main = new QtuneMain();
        CommandLine cli = new CommandLine(main);
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, a) -> {
            err.println("qtune: " + ex.getMessage() + " (see 'qtune " + commandPath(ex.getCommandLine()) + "--help')");
            return 2;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof QtuneException) {
                err.println("qtune: error: " + ex.getMessage());
            } else {
                err.println("qtune: internal error: " + ex
                        + (main.verbose ? "" : " (run with --verbose for the stack trace)"));
            }
            if (main.verbose) {
                ex.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        int status = cli.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    private static String commandPath(CommandLine cl) {
        StringBuilder sb = new StringBuilder();
        for (CommandLine c = cl; c.getParent() != null; c = c.getParent()) {
            sb.insert(0, c.getCommandName() + " ");
        }
        return sb.toString();
    }
}
