package dev.qtune.evaluator.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.qtune.compiler.InputLimits;

/**
 * How the image files of a folder split become arrays, in torchvision's order: decode (PNG or
 * JPEG), convert to {@code channels} (1: luma as PIL's "L", 3: RGB), {@code resize}, then
 * {@code center_crop}; then the dataset's scale and mean/std apply as ToTensor and Normalize.
 *
 * @param channels   1 or 3
 * @param resizeEdge resize so the shorter edge is this long, keeping the aspect ratio (torchvision
 *                   {@code Resize(int)}); 0 = not this form
 * @param resizeHeight exact height of {@code Resize([h, w])}; 0 = not this form
 * @param resizeWidth  exact width of {@code Resize([h, w])}; 0 = not this form
 * @param cropHeight height of the centre crop; 0 = no crop
 * @param cropWidth  width of the centre crop; 0 = no crop
 */
public record ImageSpec(
        int channels, int resizeEdge, int resizeHeight, int resizeWidth, int cropHeight, int cropWidth) {
    /** RGB, no resize, no crop. */
    public static final ImageSpec DEFAULT = new ImageSpec(3, 0, 0, 0, 0, 0);
    /** The largest size a resize or crop may name. */
    static final int MAX_SIDE = 1 << 14;

    public ImageSpec {
        if (channels != 1 && channels != 3) {
            throw new SpecValueException("channels", "must be 1 (grayscale) or 3 (RGB), but was " + channels);
        }
        if (resizeEdge > 0 && (resizeHeight > 0 || resizeWidth > 0)) {
            throw new IllegalArgumentException("resize must be an edge or a [height, width] pair, not both");
        }
    }

    /** Whether a resize is declared. */
    public boolean resizes() {
        return resizeEdge > 0 || resizeHeight > 0;
    }

    /** Whether a centre crop is declared. */
    public boolean crops() {
        return cropHeight > 0;
    }

    @JsonCreator
    static ImageSpec fromYaml(
            @JsonProperty("channels") Integer channels,
            @JsonProperty("resize") JsonNode resize,
            @JsonProperty("center_crop") JsonNode crop) {
        int[] r = size("resize", resize, true);
        int[] c = size("center_crop", crop, false);
        return new ImageSpec(channels == null ? 3 : channels, r[0], r[1], r[2], c[1], c[2]);
    }

    /** {edge, height, width} of a size given as one integer or as [height, width]; zeros when absent. */
    private static int[] size(String key, JsonNode n, boolean edgeAllowed) {
        if (n == null || n.isNull()) {
            return new int[3];
        }
        String rule = edgeAllowed
                ? "must be a size (the shorter edge) or [height, width], each in 1.." + MAX_SIDE
                : "must be a size or [height, width], each in 1.." + MAX_SIDE;
        if (n.isInt() && n.asInt() >= 1 && n.asInt() <= MAX_SIDE) {
            return edgeAllowed ? new int[] {n.asInt(), 0, 0} : new int[] {0, n.asInt(), n.asInt()};
        }
        if (n.isArray() && n.size() == 2 && n.get(0).isInt() && n.get(1).isInt()) {
            int h = n.get(0).asInt();
            int w = n.get(1).asInt();
            if (h >= 1 && w >= 1 && h <= MAX_SIDE && w <= MAX_SIDE) {
                return new int[] {0, h, w};
            }
        }
        throw new SpecValueException(
                key,
                rule + ", but was "
                        + (n.isContainerNode() ? n.toString() : "'" + InputLimits.excerpt(n.asText()) + "'"));
    }
}
