package dev.qtune.compiler.onnx;

import dev.qtune.compiler.onnx.proto.OnnxSubset.NodeProto;
import java.util.List;

/** What a node converter needs to know: the node's resolved name, the opset, and where it is. */
record ImportContext(String nodeName, int opset, String where, OnnxAttributes attributes) {

    static ImportContext of(NodeProto node, String nodeName, int opset, String file) {
        String where = file + ": " + node.getOpType() + " node '" + nodeName + "'";
        return new ImportContext(nodeName, opset, where, new OnnxAttributes(node, where));
    }

    /** The node's outputs, requiring exactly {@code count} non-empty ones at the start. */
    String singleOutput(NodeProto node) {
        List<String> outs = node.getOutputList();
        for (int i = 1; i < outs.size(); i++) {
            if (!outs.get(i).isEmpty()) {
                throw new OnnxImportException(where + ": output " + i + " ('" + outs.get(i)
                        + "') is not supported; qtune reads only the first output of this op");
            }
        }
        if (outs.isEmpty() || outs.get(0).isEmpty()) {
            throw new OnnxImportException(where + ": must have an output, but has none");
        }
        return outs.get(0);
    }

    OnnxImportException error(String message) {
        return new OnnxImportException(where + ": " + message);
    }
}
