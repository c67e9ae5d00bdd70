package dev.qtune.experiments.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qtune.compiler.analysis.LayerStats;
import dev.qtune.compiler.analysis.ModelSummary;
import dev.qtune.compiler.ir.Graph;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** `qtune inspect MODEL [--json]`: the layer table (name, op, output shape, MACs, params) and totals. */
@Command(name = "inspect", description = "Show a model's layers, MACs and parameters.")
final class InspectCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "ONNX model file.")
    Path model;

    @Option(names = "--json", description = "Print JSON (keys: model, inputs, outputs, layers, macs, params).")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Graph g = ModelLoader.forInspection(model);
        ModelSummary s = ModelSummary.of(g);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(toJson(g, s)));
        } else {
            printTable(out, g, s);
        }
        return 0;
    }

    private ObjectNode toJson(Graph g, ModelSummary s) {
        ObjectNode root = Json.object();
        root.put("model", model.toString());
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
        }
        root.put("macs", s.macs());
        root.put("params", s.params());
        return root;
    }

    private void printTable(PrintWriter out, Graph g, ModelSummary s) {
        int nameWidth = Math.max(5, s.layers().stream().mapToInt(l -> l.name().length()).max().orElse(5));
        String row = "%-" + nameWidth + "s  %-18s  %-16s  %12s  %10s%n";
        out.printf("model %s (opset %d)%n", model, g.opset());
        g.inputs().forEach(v -> out.printf("input  %s: %s%n", v.name(), v.type()));
        g.outputs().forEach(v -> out.printf("output %s: %s%n", v.name(), v.type()));
        out.println();
        out.printf(row, "layer", "op", "output (1 image)", "MACs", "params");
        for (LayerStats l : s.layers()) {
            out.printf(row, l.name(), l.op(), l.outputShape(), String.format("%,d", l.macs()), String.format("%,d", l.params()));
        }
        out.printf(row, "total", s.layers().size() + " nodes", "", String.format("%,d", s.macs()), String.format("%,d", s.params()));
    }
}
