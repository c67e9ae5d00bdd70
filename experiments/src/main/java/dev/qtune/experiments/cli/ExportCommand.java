package dev.qtune.experiments.cli;

import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.onnx.QdqExportResult;
import dev.qtune.compiler.onnx.QdqExporter;
import dev.qtune.compiler.quant.QuantConfigReader;
import dev.qtune.evaluator.calibration.CalibrationCache;
import dev.qtune.evaluator.data.Datasets;
import dev.qtune.evaluator.quant.QuantEvaluation;
import dev.qtune.evaluator.quant.QuantizedRun;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `qtune export MODEL --data NAME --qconfig FILE --out OUT.onnx`: quantizes the model under the config
 * (calibration statistics from the dataset's calibration split, cached) and writes it as a standard
 * ONNX QDQ model (docs/formats.md, "QDQ export") that ONNX Runtime and other QDQ runtimes read.
 * `qtune export PRE_QUANTIZED.onnx --out OUT.onnx` writes a pre-quantized model (QDQ or QLinear
 * operators, any zero points) back in qtune's QDQ layout with the file's own scales.
 */
@Command(
        name = "export",
        description = "Quantize a model and write it as an ONNX QDQ model (QuantizeLinear/DequantizeLinear).")
final class ExportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "ONNX model file (fp32, or pre-quantized).")
    Path model;

    @Option(
            names = "--data",
            paramLabel = "NAME|SPEC.yaml",
            description =
                    "Dataset whose calibration split gives the statistics (mnist, fashion-mnist, or a spec file); "
                            + "required for an fp32 model.")
    String data;

    @Option(
            names = "--qconfig",
            paramLabel = "FILE",
            description = "Quantization config (YAML); required for an fp32 model.")
    Path qconfig;

    @Option(names = "--out", required = true, paramLabel = "OUT.onnx", description = "The QDQ model to write.")
    Path out;

    @Mixin
    WorkerThreads.Calibration threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        int workers = threads.checked(spec.commandLine());
        if (ModelLoader.isPreQuantized(model)) {
            return writePreQuantized();
        }
        if (qconfig == null || data == null) {
            throw new ParameterException(
                    spec.commandLine(),
                    "exporting the fp32 model " + model + " quantizes it: --qconfig and --data are required");
        }
        var config = QuantConfigReader.read(qconfig);
        Graph graph = ModelLoader.forExecution(model);
        QuantizedRun run = QuantEvaluation.quantize(
                model, graph, config, Datasets.load(data, "calibration"), workers, CalibrationCache.defaultDir());
        QuantizedEval.report(run.calibration(), spec.commandLine().getErr());
        QdqExportResult r = QdqExporter.write(run.model(), out);
        spec.commandLine()
                .getOut()
                .printf(
                        "wrote %s: QDQ model of %s under %s, %d activation points, %d int8 weights, "
                                + "%d int32 biases, %,d bytes%s%n",
                        out,
                        model,
                        qconfig,
                        r.activationPoints(),
                        r.weights(),
                        r.biases(),
                        r.bytes(),
                        r.narrowActivations().isEmpty()
                                ? ""
                                : String.format(
                                        "; %d activation tensors below 8 bits run at 8 bits in ONNX (see docs/formats.md)",
                                        r.narrowActivations().size()));
        return 0;
    }

    /** A pre-quantized model is written with the file's own scales. */
    private int writePreQuantized() {
        if (qconfig != null || data != null) {
            throw new ParameterException(
                    spec.commandLine(),
                    model + " is a pre-quantized model, "
                            + "which is written with the file's own scales: --qconfig and --data do not apply to it");
        }
        QdqExportResult r = QdqExporter.write(ModelLoader.preQuantized(model), out);
        spec.commandLine()
                .getOut()
                .printf(
                        "wrote %s: QDQ model of pre-quantized %s, %d activation points, %d int8 "
                                + "weights, %d int32 biases, %,d bytes%n",
                        out, model, r.activationPoints(), r.weights(), r.biases(), r.bytes());
        return 0;
    }
}
