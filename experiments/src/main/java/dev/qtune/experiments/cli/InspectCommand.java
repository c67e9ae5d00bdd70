package dev.qtune.experiments.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qtune.compiler.analysis.LayerStats;
import dev.qtune.compiler.analysis.ModelSummary;
import dev.qtune.compiler.analysis.QuantizedLayer;
import dev.qtune.compiler.ir.Graph;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `qtune inspect MODEL [--json]`: the layer table (name, op, output shape, MACs, params) and totals;
 * for a pre-quantized (QDQ) model also each layer's input, weight and output integer type, scales
 * and zero point.
 */
@Command(
        name = "inspect",
        description = "Show a model's layers, MACs and parameters (and a pre-quantized model's scales).")
final class InspectCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "ONNX model file.")
    Path model;

    @Option(names = "--json", description = "Print JSON (keys: model, inputs, outputs, layers, macs, params).")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        boolean preQuantized = ModelLoader.isPreQuantized(model);
        Graph g = preQuantized ? ModelLoader.preQuantized(model).simulated() : ModelLoader.forInspection(model);
        ModelSummary s = ModelSummary.of(g);
        Map<String, QuantizedLayer> quant = new HashMap<>();
        if (preQuantized) {
            QuantizedLayer.of(g).forEach(l -> quant.put(l.name(), l));
            s = new ModelSummary(
                    s.layers().stream().filter(l -> quant.containsKey(l.name())).toList(), s.macs(), s.params());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(toJson(g, s, quant)));
        } else {
            printTable(out, g, s, quant);
        }
        return 0;
    }

    private ObjectNode toJson(Graph g, ModelSummary s, Map<String, QuantizedLayer> quant) {
        ObjectNode root = Json.object();
        root.put("model", model.toString());
        root.put("pre_quantized", !quant.isEmpty());
        ObjectNode inputs = root.putObject("inputs");
        g.inputs().forEach(v -> inputs.put(v.name(), v.type().toString()));
        ObjectNode outputs = root.putObject("outputs");
        g.outputs().forEach(v -> outputs.put(v.name(), v.type().toString()));
        ArrayNode layers = root.putArray("layers");
        for (LayerStats l : s.layers()) {
            ObjectNode o = layers.addObject();
            o.put("name", l.name());
            o.put("op", l.op());
            ArrayNode shape = o.putArray("output_shape");
            for (int d : l.outputShape().dims()) {
                shape.add(d);
            }
            o.put("macs", l.macs());
            o.put("params", l.params());
            QuantizedLayer q = quant.get(l.name());
            if (q != null) {
                QuantColumns.put(o, "input", q.input());
                QuantColumns.put(o, "weight", q.weight());
                QuantColumns.put(o, "output", q.output());
            }
        }
        root.put("macs", s.macs());
        root.put("params", s.params());
        return root;
    }

    private void printTable(PrintWriter out, Graph g, ModelSummary s, Map<String, QuantizedLayer> quant) {
        int nameWidth = Math.max(
                5, s.layers().stream().mapToInt(l -> l.name().length()).max().orElse(5));
        String row =
                "%-" + nameWidth + "s  %-18s  %-16s  %12s  %10s" + (quant.isEmpty() ? "%n" : "  %-22s  %-40s  %s%n");
        out.printf(
                "model %s (opset %d)%s%n",
                model,
                g.opset(),
                quant.isEmpty() ? "" : ", pre-quantized (QDQ): integer types, scales and zero points per layer");
        g.inputs().forEach(v -> out.printf("input  %s: %s%n", v.name(), v.type()));
        g.outputs().forEach(v -> out.printf("output %s: %s%n", v.name(), v.type()));
        out.println();
        out.printf(row, "layer", "op", "output (1 image)", "MACs", "params", "input", "weight", "output");
        for (LayerStats l : s.layers()) {
            QuantizedLayer q = quant.get(l.name());
            out.printf(
                    row,
                    l.name(),
                    l.op(),
                    l.outputShape(),
                    String.format("%,d", l.macs()),
                    String.format("%,d", l.params()),
                    q == null ? "" : QuantColumns.text(q.input()),
                    q == null || q.weight().isEmpty() ? "" : QuantColumns.text(q.weight()),
                    q == null ? "" : QuantColumns.text(q.output()));
        }
        out.printf(
                row,
                "total",
                s.layers().size() + " nodes",
                "",
                String.format("%,d", s.macs()),
                String.format("%,d", s.params()),
                "",
                "",
                "");
    }
}
