package dev.qtune.compiler.zoo;

import dev.qtune.compiler.ir.Graph;

/**
 * ResNet-18 in torchvision's layout for ImageNet-shaped input (3x224x224): conv 7x7/2 (64) + BN +
 * ReLU + max pool 3x3/2, four stages of two BasicBlocks (64, 128, 256, 512 channels; the first
 * block of stages 2 to 4 has stride 2 and a 1x1/2 conv + BN shortcut), global average pool,
 * fully connected 512 -> 1000. 11,689,512 parameters, 1,814,073,344 MACs per image.
 */
public final class ResNet18Builder {
    private static final int[] CHANNELS = {64, 128, 256, 512};

    private ResNet18Builder() {}

    /** The graph with seeded random weights: input {@code input} f32[?x3x224x224], output {@code logits} f32[?x1000]. */
    public static Graph build(long seed) {
        ZooGraphBuilder b = new ZooGraphBuilder("resnet18", seed, 3, 224, 224);
        String x = b.conv("conv1", ZooGraphBuilder.INPUT, 3, 64, 7, 2, 3, 1);
        x = b.batchNorm("bn1", x, 64);
        x = b.relu("relu", x);
        x = b.maxPool("maxpool", x, 3, 2, 1);
        int in = 64;
        for (int stage = 0; stage < CHANNELS.length; stage++) {
            int out = CHANNELS[stage];
            for (int block = 0; block < 2; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                x = basicBlock(b, "layer" + (stage + 1) + "." + block, x, in, out, stride);
                in = out;
            }
        }
        x = b.globalAvgPool("avgpool", x);
        x = b.flatten("flatten", x);
        b.classifier("fc", x, 512, 1000);
        return b.build();
    }

    private static String basicBlock(ZooGraphBuilder b, String m, String x, int in, int out, int stride) {
        String y = b.conv(m + ".conv1", x, in, out, 3, stride, 1, 1);
        y = b.batchNorm(m + ".bn1", y, out);
        y = b.relu(m + ".relu1", y);
        y = b.conv(m + ".conv2", y, out, out, 3, 1, 1, 1);
        y = b.batchNorm(m + ".bn2", y, out);
        String shortcut = x;
        if (stride != 1 || in != out) {
            shortcut = b.conv(m + ".downsample.0", x, in, out, 1, stride, 0, 1);
            shortcut = b.batchNorm(m + ".downsample.1", shortcut, out);
        }
        return b.relu(m + ".relu2", b.add(m, y, shortcut));
    }
}
