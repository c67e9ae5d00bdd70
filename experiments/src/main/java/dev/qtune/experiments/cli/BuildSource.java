package dev.qtune.experiments.cli;

import dev.qtune.experiments.config.ExperimentConfig;
import dev.qtune.experiments.config.ExperimentReader;
import dev.qtune.experiments.run.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Where `qtune build` takes the model and the calibration data from: --model and --data, or, for a
 * config in a run directory's best/ folder, the run's experiment.yaml (the search's own model and
 * dataset), each option overriding the run's value.
 *
 * @param model  the fp32 ONNX model
 * @param data   the dataset (built-in name or spec file)
 * @param config the quant config file
 * @param run    the run directory the config belongs to, if it does
 */
record BuildSource(Path model, String data, Path config, Optional<Path> run) {
    /** --model and --data, as a picocli mixin. */
    static final class Options {
        @Option(names = "--model", paramLabel = "MODEL", description = "fp32 ONNX model (default: the run's).")
        Path model;

        @Option(
                names = "--data",
                paramLabel = "NAME|SPEC.yaml",
                description = "Dataset whose calibration split calibrates the model (default: the run's).")
        String data;

        /** Where the build of {@code config} takes its model and data from. */
        BuildSource resolve(CommandLine cmd, Path config) {
            return of(cmd, config, model, data);
        }
    }

    static BuildSource of(CommandLine cmd, Path config, Path model, String data) {
        Optional<Path> run = runOf(config);
        if (model != null && data != null) {
            return new BuildSource(model, data, config, run);
        }
        if (run.isEmpty()) {
            throw new CommandLine.ParameterException(
                    cmd,
                    config + " is not in a run directory's " + RunDirectory.BEST + "/ folder (no ../"
                            + RunDirectory.EXPERIMENT + " beside it): give --model and --data");
        }
        ExperimentConfig exp = ExperimentReader.read(run.get().resolve(RunDirectory.EXPERIMENT));
        return new BuildSource(model != null ? model : exp.model(), data != null ? data : exp.dataset(), config, run);
    }

    /** RUN for RUN/best/NAME.yaml when RUN holds experiment.yaml. */
    private static Optional<Path> runOf(Path config) {
        Path parent = config.toAbsolutePath().normalize().getParent();
        if (parent == null
                || parent.getFileName() == null
                || !parent.getFileName().toString().equals(RunDirectory.BEST)
                || parent.getParent() == null) {
            return Optional.empty();
        }
        Path run = parent.getParent();
        return Files.isRegularFile(run.resolve(RunDirectory.EXPERIMENT)) ? Optional.of(run) : Optional.empty();
    }
}
