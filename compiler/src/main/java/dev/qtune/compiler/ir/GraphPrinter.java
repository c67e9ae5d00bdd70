package dev.qtune.compiler.ir;

import java.util.Locale;
import java.util.stream.Collectors;

/** A readable text form of a graph, one line per value definition, for logs, tests and `inspect`. */
public final class GraphPrinter {
    private GraphPrinter() {}

    public static String print(Graph g) {
        StringBuilder sb = new StringBuilder();
        sb.append("graph ")
                .append(g.name())
                .append(" (opset ")
                .append(g.opset())
                .append(")\n");
        for (ValueInfo in : g.inputs()) {
            sb.append("  input  %")
                    .append(in.name())
                    .append(": ")
                    .append(in.type())
                    .append('\n');
        }
        g.initializers()
                .forEach((name, t) -> sb.append("  const  %")
                        .append(name)
                        .append(": ")
                        .append(t.type())
                        .append('\n'));
        for (Node n : g.nodes()) {
            appendNode(sb, g, n);
        }
        for (ValueInfo out : g.outputs()) {
            sb.append("  output %")
                    .append(out.name())
                    .append(": ")
                    .append(g.types().getOrDefault(out.name(), out.type()))
                    .append('\n');
        }
        return sb.toString();
    }

    private static void appendNode(StringBuilder sb, Graph g, Node n) {
        sb.append("  ")
                .append(n.outputs().stream().map(o -> "%" + o).collect(Collectors.joining(", ")))
                .append(" = ")
                .append(n.opType())
                .append(n.inputs().stream()
                        .map(i -> i.isEmpty() ? "_" : "%" + i)
                        .collect(Collectors.joining(", ", "(", ")")));
        String attrs = attributes(n);
        if (!attrs.isEmpty()) {
            sb.append(" {").append(attrs).append('}');
        }
        sb.append("  # ").append(n.name());
        TensorType t = g.types().get(n.outputs().get(0));
        if (t != null) {
            sb.append(" -> ").append(t);
        }
        sb.append('\n');
    }

    private static String requantize(Requantize r) {
        return "out_scale=" + r.outputScale() + " range=[" + r.range().min() + ","
                + r.range().max() + "]"
                + (r.multipliers().size() > 1
                        ? " multipliers=" + r.multipliers().size()
                        : " multiplier=" + (float) r.multipliers().get(0).value())
                + " " + r.rounding().name().toLowerCase(Locale.ROOT);
    }

    /** The attributes of a node as "key=value" text; empty for ops without attributes. */
    public static String attributes(Node n) {
        if (n instanceof Conv2dNode c) {
            return c.window() + (c.group() != 1 ? " group=" + c.group() : "");
        } else if (n instanceof GemmNode g) {
            return "alpha=" + g.alpha() + " beta=" + g.beta() + " transA=" + g.transA() + " transB=" + g.transB();
        } else if (n instanceof MaxPool2dNode p) {
            return p.window() + (p.ceilMode() ? " ceil" : "");
        } else if (n instanceof AvgPool2dNode p) {
            return p.window() + (p.ceilMode() ? " ceil" : "") + (p.countIncludePad() ? " count_include_pad" : "");
        } else if (n instanceof BatchNormNode b) {
            return "epsilon=" + b.epsilon();
        } else if (n instanceof FlattenNode f) {
            return "axis=" + f.axis();
        } else if (n instanceof ConcatNode c) {
            return "axis=" + c.axis();
        } else if (n instanceof SoftmaxNode s) {
            return "axis=" + s.axis();
        } else if (n instanceof ConstantNode c) {
            return "value=" + c.value().type();
        } else if (n instanceof QConv2dNode q) {
            return q.window() + (q.group() != 1 ? " group=" + q.group() : "") + " " + requantize(q.requantize());
        } else if (n instanceof QDenseNode q) {
            return requantize(q.requantize());
        } else if (n instanceof QAddNode q) {
            return requantize(q.requantize());
        } else if (n instanceof QConcatNode q) {
            return "axis=" + q.axis() + " " + requantize(q.requantize());
        } else if (n instanceof QuantizeNode q) {
            return "scale=" + q.scale() + " range=[" + q.range().min() + ","
                    + q.range().max() + "]";
        } else if (n instanceof DequantizeNode d) {
            return "scale=" + d.scale();
        } else if (n instanceof SimQuantizeNode q) {
            return spec(q.spec());
        }
        return "";
    }

    private static String spec(QuantSpec s) {
        return s.role().name().toLowerCase(Locale.ROOT) + " " + s.storage() + "["
                + s.range().min() + ","
                + s.range().max() + "]" + (s.axis() >= 0 ? " axis=" + s.axis() : "")
                + (s.isCalibrated() && s.scales().size() == 1
                        ? " scale=" + s.scale()
                        : s.isCalibrated() ? " scales=" + s.scales().size() : " uncalibrated");
    }
}
