package dev.qtune.experiments.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.VectorGraphicsEncoder.VectorGraphicsFormat;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * An XChart chart as an inline {@code <svg>} element. XChart's SVG (VectorGraphics2D) draws all
 * text as glyph outlines, so no string of the chart appears in it as text; the accessible title
 * this class adds is escaped. The XML prolog and the DOCTYPE (which names a DTD by URL) are
 * dropped, element ids are prefixed so that several charts can share one page, and coordinates
 * are rounded to 1/100 px.
 */
final class Svg {
    /** Coordinates beyond 1/100 px only make the page bigger (glyph outlines are most of it). */
    private static final Pattern LONG_DECIMALS = Pattern.compile("(\\d\\.\\d\\d)\\d+");

    private Svg() {
    }

    static String inline(Chart<?, ?> chart, String idPrefix, String title) {
        String svg = encode(chart);
        int start = svg.indexOf("<svg");
        if (start < 0) {
            throw new IllegalStateException("XChart wrote no <svg> element");
        }
        svg = LONG_DECIMALS.matcher(svg.substring(start).strip()).replaceAll("$1")
                .replace(" id=\"", " id=\"" + idPrefix + "-")
                .replace("url(#", "url(#" + idPrefix + "-")
                .replace("href=\"#", "href=\"#" + idPrefix + "-");
        String open = "<svg class=\"chart\" role=\"img\" aria-label=\"" + Html.escape(title) + "\" ";
        int tagEnd = svg.indexOf('>');
        return open + svg.substring("<svg ".length(), tagEnd + 1) + "<title>" + Html.escape(title) + "</title>"
                + svg.substring(tagEnd + 1) + "\n";
    }

    private static String encode(Chart<?, ?> chart) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            VectorGraphicsEncoder.saveVectorGraphic(chart, bytes, VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot draw the chart as SVG: " + e.getMessage(), e);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
