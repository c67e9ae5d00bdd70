package dev.qtune.compiler.ir;

import java.util.List;

/**
 * 2-D convolution over NCHW input with OIHW weights and an optional bias; {@code group} splits the
 * channels (group == input channels == output channels is depthwise).
 */
public record Conv2dNode(String name, List<String> inputs, String output, Window2d window, int group)
        implements LayerNode {
    public Conv2dNode {
        inputs = NodeChecks.node("Conv", name, inputs, 2, 3, output);
        NodeChecks.notNull("Conv", name, "window", window);
        NodeChecks.positive("Conv", name, "group", group);
    }

    @Override
    public String opType() {
        return "Conv";
    }

    @Override
    public Conv2dNode withInputs(List<String> newInputs) {
        return new Conv2dNode(name, newInputs, output, window, group);
    }
}
