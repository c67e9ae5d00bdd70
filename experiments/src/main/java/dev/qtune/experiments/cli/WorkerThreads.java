package dev.qtune.experiments.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The --threads option of the commands that run the interpreters or calibrate, as a picocli mixin:
 * worker threads, all cores by default. {@link Any} and {@link Calibration} differ only in the help
 * text.
 */
abstract class WorkerThreads {
    /** --threads as given; null where it was not. */
    abstract Integer given();

    /** --threads, else all cores. */
    int count() {
        Integer t = given();
        return t != null ? t : Runtime.getRuntime().availableProcessors();
    }

    /** {@link #count()}, which must be at least 1. */
    int checked(CommandLine cmd) {
        int workers = count();
        if (workers < 1) {
            throw new ParameterException(cmd, "--threads must be >= 1, but was " + workers);
        }
        return workers;
    }

    /** Worker threads of any use (eval, table). */
    static final class Any extends WorkerThreads {
        @Option(names = "--threads", paramLabel = "T", description = "Worker threads (default: all cores).")
        Integer threads;

        @Override
        Integer given() {
            return threads;
        }
    }

    /** Worker threads that calibrate (build, export). */
    static final class Calibration extends WorkerThreads {
        @Option(
                names = "--threads",
                paramLabel = "T",
                description = "Worker threads for calibration (default: all cores).")
        Integer threads;

        @Override
        Integer given() {
            return threads;
        }
    }
}
