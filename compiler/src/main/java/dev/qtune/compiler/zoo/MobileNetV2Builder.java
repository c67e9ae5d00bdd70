package dev.qtune.compiler.zoo;

import dev.qtune.compiler.ir.Graph;

/**
 * MobileNetV2 (width 1.0) in torchvision's layout for ImageNet-shaped input (3x224x224): conv 3x3/2
 * (32) + BN + ReLU6, seventeen inverted residual blocks (1x1 expansion by t with BN + ReLU6 when
 * t > 1, depthwise 3x3 with group = channels + BN + ReLU6, linear 1x1 projection + BN, a residual
 * Add where the stride is 1 and the channels match), conv 1x1 to 1280 + BN + ReLU6, global average
 * pool, fully connected 1280 -> 1000. ReLU6 is Clip(0, 6). 3,504,872 parameters, about 300.8 M
 * MACs per image.
 */
public final class MobileNetV2Builder {
    /** Expansion t, output channels c, repeats n, first stride s: torchvision's inverted_residual_setting. */
    private static final int[][] SETTINGS = {
        {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}
    };

    private MobileNetV2Builder() {}

    /** The graph with seeded random weights: input {@code input} f32[?x3x224x224], output {@code logits} f32[?x1000]. */
    public static Graph build(long seed) {
        ZooGraphBuilder b = new ZooGraphBuilder("mobilenetv2", seed, 3, 224, 224);
        String x = convBnRelu6(b, "features.0", ZooGraphBuilder.INPUT, 3, 32, 3, 2, 1);
        int in = 32;
        int index = 1;
        for (int[] s : SETTINGS) {
            for (int i = 0; i < s[2]; i++) {
                x = invertedResidual(b, "features." + index++, x, in, s[1], i == 0 ? s[3] : 1, s[0]);
                in = s[1];
            }
        }
        x = convBnRelu6(b, "features." + index, x, in, 1280, 1, 1, 1);
        x = b.globalAvgPool("avgpool", x);
        x = b.flatten("flatten", x);
        b.classifier("classifier.1", x, 1280, 1000);
        return b.build();
    }

    private static String invertedResidual(ZooGraphBuilder b, String m, String x, int in, int out, int stride, int t) {
        int hidden = in * t;
        String y = x;
        int layer = 0;
        if (t != 1) {
            y = convBnRelu6(b, m + ".conv." + layer++, y, in, hidden, 1, 1, 1);
        }
        y = convBnRelu6(b, m + ".conv." + layer++, y, hidden, hidden, 3, stride, hidden);
        y = b.conv(m + ".conv." + layer, y, hidden, out, 1, 1, 0, 1);
        y = b.batchNorm(m + ".conv." + (layer + 1), y, out);
        return stride == 1 && in == out ? b.add(m, x, y) : y;
    }

    /** Conv (k x k, pad k / 2) + BN + ReLU6, as torchvision's Conv2dNormActivation. */
    private static String convBnRelu6(
            ZooGraphBuilder b, String m, String x, int in, int out, int k, int stride, int group) {
        String y = b.conv(m + ".0", x, in, out, k, stride, k / 2, group);
        y = b.batchNorm(m + ".1", y, out);
        return b.relu6(m + ".2", y);
    }
}
