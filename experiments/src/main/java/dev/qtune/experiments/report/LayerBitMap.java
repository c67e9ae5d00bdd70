package dev.qtune.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/**
 * The per-layer bit map of a trial: one small cell per layer, its upper half coloured and
 * numbered by the weight bits, its lower half by the activation bits; a layer kept in fp32
 * (skip) is a dark cell. The cell's title tooltip names the layer, op, bits, calibration and
 * granularity. Colour classes come only from integers, text only through {@link Html#escape}.
 */
final class LayerBitMap {
    /** Bit widths with a colour of their own in report.css; others use "bx". */
    private static final Set<Integer> COLOURED = Set.of(2, 3, 4, 5, 6, 7, 8, 16);

    private LayerBitMap() {}

    /** The map of a trial's "layers" array; "" when the trial recorded none. */
    static String html(JsonNode layers) {
        if (!layers.isArray() || layers.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("<span class=\"bitmap\">");
        for (JsonNode layer : layers) {
            sb.append(cell(layer));
        }
        return sb.append("</span>").toString();
    }

    private static String cell(JsonNode layer) {
        String name = layer.path("name").asText("?");
        String op = layer.path("op").asText("");
        String where = name + (op.isEmpty() ? "" : " (" + op + ")");
        if (layer.path("skip").asBoolean(false)) {
            return "<span class=\"cell fp32\" title=\"" + Html.escape(where + ": fp32 (not quantized)") + "\"></span>";
        }
        int w = layer.path("weight_bits").asInt(-1);
        int a = layer.path("activation_bits").asInt(-1);
        String title = where + ": weights " + bits(w) + ", activations " + bits(a) + detail(layer);
        return "<span class=\"cell\" title=\"" + Html.escape(title) + "\">" + half("w", w) + half("a", a) + "</span>";
    }

    private static String half(String which, int bits) {
        String cls = COLOURED.contains(bits) ? "b" + bits : "bx";
        return "<span class=\"" + which + " " + cls + "\">" + (bits > 0 ? Integer.toString(bits) : "?") + "</span>";
    }

    private static String bits(int b) {
        return b > 0 ? b + " bit" : "?";
    }

    private static String detail(JsonNode layer) {
        StringBuilder sb = new StringBuilder();
        for (String key : List.of("calibration", "granularity")) {
            String v = layer.path(key).asText("");
            if (!v.isEmpty()) {
                sb.append(", ").append(v);
            }
        }
        return sb.toString();
    }

    /** The legend: one swatch per coloured bit width and one for fp32. */
    static String legend() {
        StringBuilder sb =
                new StringBuilder("<p class=\"legend\">per-layer bits (upper half weights, lower half activations): ");
        for (int b : List.of(2, 3, 4, 5, 6, 7, 8, 16)) {
            sb.append("<span class=\"cell swatch\"><span class=\"w b")
                    .append(b)
                    .append("\">")
                    .append(b)
                    .append("</span></span> ");
        }
        return sb.append("<span class=\"cell fp32 swatch\"></span> fp32 (skipped)</p>\n")
                .toString();
    }
}
