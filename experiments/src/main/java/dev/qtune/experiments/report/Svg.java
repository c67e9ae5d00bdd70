package dev.qtune.experiments.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.VectorGraphicsEncoder.VectorGraphicsFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * An XChart chart as an inline {@code <svg>} element. XChart's SVG (VectorGraphics2D) draws all
 * text as glyph outlines, so no string of the chart appears in it as text; the accessible title
 * this class adds is escaped. The XML prolog and the DOCTYPE (which names a DTD by URL) are
 * dropped, element ids are prefixed so that several charts can share one page, and coordinates
 * are rounded to 1/100 px. Points given as {@link HoverPoint}s get an invisible circle on top of
 * their marker whose {@code <title>} the browser shows on hover (XChart's own tooltips exist only
 * in Swing).
 */
final class Svg {
    /** Coordinates beyond 1/100 px only make the page bigger (glyph outlines are most of it). */
    private static final Pattern LONG_DECIMALS = Pattern.compile("(\\d\\.\\d\\d)\\d+");

    private Svg() {}

    /** Radius of a point's hover target, in the chart's pixels (a marker is 8 to 12 px across). */
    private static final int HOVER_RADIUS = 7;

    static String inline(Chart<?, ?> chart, String idPrefix, String title) {
        return inline(chart, idPrefix, title, List.of());
    }

    /** The chart with a hover target per point; the chart must be an XYChart when there are points. */
    static String inline(Chart<?, ?> chart, String idPrefix, String title, List<HoverPoint> points) {
        String svg = encode(chart);
        int start = svg.indexOf("<svg");
        if (start < 0) {
            throw new IllegalStateException("XChart wrote no <svg> element");
        }
        svg = LONG_DECIMALS
                .matcher(svg.substring(start).strip())
                .replaceAll("$1")
                .replace(" id=\"", " id=\"" + idPrefix + "-")
                .replace("url(#", "url(#" + idPrefix + "-")
                .replace("href=\"#", "href=\"#" + idPrefix + "-");
        String open = "<svg class=\"chart\" role=\"img\" aria-label=\"" + Html.escape(title) + "\" ";
        int tagEnd = svg.indexOf('>');
        String body = svg.substring(tagEnd + 1);
        if (!points.isEmpty()) {
            // after encoding: XChart knows the plot's pixel bounds only once it has painted
            int end = body.lastIndexOf("</svg>");
            body = body.substring(0, end) + hoverLayer((XYChart) chart, points) + body.substring(end);
        }
        return open + svg.substring("<svg ".length(), tagEnd + 1) + "<title>" + Html.escape(title) + "</title>" + body
                + "\n";
    }

    /** One transparent circle per point, with the point's title, in the chart's pixel coordinates. */
    private static String hoverLayer(XYChart chart, List<HoverPoint> points) {
        StringBuilder sb =
                new StringBuilder("<g class=\"points\" fill=\"#000\" fill-opacity=\"0\" pointer-events=\"all\">\n");
        for (HoverPoint p : points) {
            double x = chart.getScreenXFromChart(p.x());
            double y = chart.getScreenYFromChart(p.y());
            if (!Double.isFinite(x) || !Double.isFinite(y)) {
                continue;
            }
            sb.append(String.format(
                    Locale.ROOT,
                    "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"%d\" data-id=\"%s\"><title>%s</title></circle>%n",
                    x,
                    y,
                    HOVER_RADIUS,
                    Html.escape(p.id()),
                    Html.escape(p.title())));
        }
        return sb.append("</g>\n").toString();
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
