package dev.qtune.experiments.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.quant.QuantConfig;
import dev.qtune.evaluator.accuracy.AccuracyResult;
import dev.qtune.evaluator.calibration.CalibrationCache;
import dev.qtune.evaluator.data.Dataset;
import dev.qtune.evaluator.data.Datasets;
import dev.qtune.evaluator.quant.CalibrationRun;
import dev.qtune.evaluator.quant.LayerReport;
import dev.qtune.evaluator.quant.QuantEvalResult;
import dev.qtune.evaluator.quant.QuantEvaluation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Function;

/** The quantized path of `qtune eval --qconfig`: run it, report calibration on stderr, format the result. */
final class QuantizedEval {
    private QuantizedEval() {}

    static QuantEvalResult run(
            Path model,
            Graph graph,
            QuantConfig config,
            String data,
            Dataset eval,
            int limit,
            int threads,
            boolean compareSimulated,
            PrintWriter err,
            Function<Graph, AccuracyResult> integer) {
        Dataset calibration = Datasets.load(data, "calibration");
        QuantEvalResult r;
        try (ConsoleProgress progress = new ConsoleProgress("eval int " + model.getFileName())) {
            r = QuantEvaluation.run(
                    model,
                    graph,
                    config,
                    calibration,
                    eval,
                    limit,
                    threads,
                    CalibrationCache.defaultDir(),
                    compareSimulated,
                    integer != null ? integer : QuantEvaluation.interpreter(eval, limit, threads, progress));
        }
        report(r.calibration(), err);
        return r;
    }

    /** Where the calibration statistics came from: the cache, or collected now (and cached). */
    static void report(CalibrationRun c, PrintWriter err) {
        err.println(
                c.cacheHit()
                        ? String.format(
                                "qtune: calibration statistics (%d samples) from the cache: %s", c.samples(), c.file())
                        : String.format(
                                "qtune: calibration: %d samples in %.1f s, cached at %s",
                                c.samples(), c.seconds(), c.file()));
        err.flush();
    }

    static ObjectNode toJson(Path model, Path qconfig, Dataset eval, int threads, QuantEvalResult r) {
        ObjectNode o = Json.object();
        o.put("model", model.toString());
        o.put("qconfig", qconfig.toString());
        o.put("precision", "int");
        o.put("dataset", eval.name());
        o.put("split", eval.split());
        o.put("top1", r.integer().top1());
        o.put("top1_fp32", r.fp32().top1());
        o.put("agreement", r.agreement());
        if (!Double.isNaN(r.simulatedAgreement())) {
            o.put("simulated_agreement", r.simulatedAgreement());
        }
        o.put("correct", r.integer().correct());
        o.put("samples", r.integer().samples());
        o.put("seconds", Json.seconds(r.integer().seconds()));
        o.put("threads", threads);
        o.put("size_bytes", r.sizeBytes());
        ObjectNode cal = o.putObject("calibration");
        cal.put("samples", r.calibration().samples());
        cal.put("cache_hit", r.calibration().cacheHit());
        cal.put("seconds", Json.seconds(r.calibration().seconds()));
        ArrayNode layers = o.putArray("layers");
        for (LayerReport l : r.layers()) {
            ObjectNode lo = layers.addObject();
            lo.put("name", l.name());
            lo.put("op", l.op());
            lo.put("precision", l.fp32() ? "fp32" : "int");
            lo.put("weight_bits", l.fp32() ? 32 : l.weightBits());
            lo.put("activation_bits", l.fp32() ? 32 : l.activationBits());
            if (l.sqnrDb().isPresent() && Double.isFinite(l.sqnrDb().getAsDouble())) {
                lo.put("sqnr_db", Math.round(l.sqnrDb().getAsDouble() * 100) / 100.0);
            } else {
                lo.putNull("sqnr_db");
            }
        }
        return o;
    }

    static String summary(Path model, Dataset eval, int threads, QuantEvalResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                "%s on %s/%s: int top-1 %.2f%% (fp32 %.2f%%), agreement %.2f%%,%s"
                        + " %d samples, %,d bytes, %d threads, %.1f s%n",
                model,
                eval.name(),
                eval.split(),
                100 * r.integer().top1(),
                100 * r.fp32().top1(),
                100 * r.agreement(),
                Double.isNaN(r.simulatedAgreement())
                        ? ""
                        : String.format(" simulated agreement %.2f%%,", 100 * r.simulatedAgreement()),
                r.integer().samples(),
                r.sizeBytes(),
                threads,
                r.integer().seconds()));
        for (LayerReport l : r.layers()) {
            sb.append(String.format(
                    "  %-40s %-6s %s%n",
                    l.name(),
                    l.op(),
                    l.fp32()
                            ? "fp32"
                            : String.format(
                                    "w%d a%d  SQNR %s",
                                    l.weightBits(),
                                    l.activationBits(),
                                    l.sqnrDb().isPresent()
                                            ? String.format(
                                                    "%.1f dB", l.sqnrDb().getAsDouble())
                                            : "-")));
        }
        return sb.toString().stripTrailing();
    }
}
