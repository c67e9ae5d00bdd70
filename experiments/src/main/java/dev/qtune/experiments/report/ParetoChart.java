package dev.qtune.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.DoubleStream;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The Pareto plot: top-1 (%) against median latency (ms). Every successful search trial is a grey
 * point (infeasible ones lighter), the front a magenta staircase with markers, each baseline its own
 * labelled marker, the final re-measurements black crosses, the accuracy constraint a dashed line.
 */
final class ParetoChart {
    /** The front's colour; used nowhere else on the page (the screenshot test looks for it). */
    static final Color FRONT = ChartPalette.MAGENTA;

    static final Color TRIAL = new Color(140, 140, 140);
    static final Color INFEASIBLE = new Color(205, 205, 205);
    static final Color FINAL = new Color(30, 30, 30);
    static final Color CONSTRAINT = new Color(200, 60, 0);
    private static final int LABEL_CHARS = 28;

    private ParetoChart() {}

    /** The chart and the points that name themselves on hover. */
    record Plot(XYChart chart, List<HoverPoint> points) {}

    /** The plot, or null when the run has no successful trial to draw. */
    static Plot of(RunSnapshot run, List<FrontEntry> front, List<FinalMeasurement> finals) {
        List<TrialPoint> search = run.points("search");
        List<TrialPoint> baselines = run.points("baseline");
        List<FrontEntry> drawnFront = front.stream()
                .filter(f -> Double.isFinite(f.top1()) && Double.isFinite(f.latencyMs()))
                .toList();
        if (search.isEmpty() && baselines.isEmpty() && drawnFront.isEmpty()) {
            return null;
        }
        XYChart chart = chart(RunMetric.of(run));
        style(chart);
        scatter(chart, "trials", search.stream().filter(TrialPoint::feasible).toList(), TRIAL, SeriesMarkers.CIRCLE);
        scatter(
                chart,
                "infeasible trials",
                search.stream().filter(p -> !p.feasible()).toList(),
                INFEASIBLE,
                SeriesMarkers.CIRCLE);
        addFront(chart, drawnFront);
        addBaselines(chart, baselines);
        addFinals(chart, finals);
        addConstraint(chart, run);
        return new Plot(chart, hover(run, drawnFront, finals));
    }

    private static XYChart chart(RunMetric metric) {
        return new XYChartBuilder()
                .width(1000)
                .height(560)
                .xAxisTitle("median latency (ms)")
                .yAxisTitle(metric.axis())
                .build();
    }

    /** The final re-measurements: black crosses. */
    private static void addFinals(XYChart chart, List<FinalMeasurement> finals) {
        List<double[]> finalXy = finals.stream()
                .filter(f -> Double.isFinite(f.top1() + f.median()))
                .map(f -> new double[] {f.median(), f.top1() * 100})
                .toList();
        series(
                chart,
                "final re-measure",
                finalXy,
                XYSeriesRenderStyle.Scatter,
                FINAL,
                new ScaledMarker(SeriesMarkers.CROSS, 1.3));
    }

    /** The axes' ranges, and the accuracy constraint as a dashed line where there is one. */
    private static void addConstraint(XYChart chart, RunSnapshot run) {
        JsonNode constraint = run.pareto().path("constraint");
        double minTop1 = TrialPoint.number(
                constraint.has("min_accuracy") ? constraint.path("min_accuracy") : constraint.path("min_top1"));
        Range x = Range.x(chart);
        Range y = Range.y(chart, minTop1 * 100);
        setRanges(chart, x, y);
        if (!Double.isNaN(minTop1)) {
            chart.addAnnotation(new AnnotationLine(minTop1 * 100, false, false));
            chart.addAnnotation(new AnnotationText(
                    "min " + RunMetric.of(run).title() + " " + RunMetric.of(run).format(minTop1),
                    x.max - 0.1 * x.span(),
                    minTop1 * 100 + 0.03 * y.span(),
                    false));
        }
    }

    /**
     * A hover point per drawn trial (search trials and baselines, front members the log lacks, final
     * re-measures, in that order: later ones are on top), titled with the trial and its config.
     */
    private static List<HoverPoint> hover(RunSnapshot run, List<FrontEntry> front, List<FinalMeasurement> finals) {
        RunMetric metric = RunMetric.of(run);
        Set<String> onFront = new HashSet<>(front.stream().map(FrontEntry::id).toList());
        List<HoverPoint> out = new ArrayList<>();
        Set<String> drawn = new HashSet<>();
        List<ObjectNode> records = new ArrayList<>(run.records("search"));
        records.addAll(run.records("baseline"));
        for (ObjectNode r : records) {
            TrialPoint.of(r).ifPresent(p -> {
                out.add(new HoverPoint(
                        p.latencyMs(), p.top1Percent(), p.id(), PointTitle.of(r, p, metric, onFront.contains(p.id()))));
                drawn.add(p.id());
            });
        }
        for (FrontEntry f : front) {
            if (!drawn.contains(f.id())) {
                out.add(new HoverPoint(
                        f.latencyMs(),
                        f.top1() * 100,
                        f.id(),
                        f.id() + ", on the Pareto front\n" + metric.title() + " " + metric.format(f.top1())
                                + ", median " + Format.ms(f.latencyMs())));
            }
        }
        for (FinalMeasurement f : finals) {
            if (Double.isFinite(f.top1() + f.median())) {
                out.add(new HoverPoint(
                        f.median(),
                        f.top1() * 100,
                        f.id(),
                        PointTitle.ofFinal(f, run.trial(f.id()).orElse(null), metric)));
            }
        }
        return out;
    }

    private static void style(XYChart chart) {
        Styler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        s.setLegendBorderColor(Color.WHITE);
        s.setMarkerSize(8);
        s.setAnnotationLineColor(CONSTRAINT);
        s.setAnnotationLineStroke(
                new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        s.setAnnotationTextFontColor(new Color(60, 60, 60));
        s.setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        chart.getStyler().setXAxisDecimalPattern("#0.###");
        chart.getStyler().setYAxisDecimalPattern("#0.##");
        chart.getStyler().setPlotGridLinesColor(new Color(230, 230, 230));
    }

    private static void addFront(XYChart chart, List<FrontEntry> front) {
        List<double[]> stairs = new ArrayList<>();
        for (int i = 0; i < front.size(); i++) {
            FrontEntry f = front.get(i);
            if (i > 0) {
                stairs.add(new double[] {f.latencyMs(), front.get(i - 1).top1() * 100});
            }
            stairs.add(new double[] {f.latencyMs(), f.top1() * 100});
        }
        XYSeries line = series(chart, "front staircase", stairs, XYSeriesRenderStyle.Line, FRONT, SeriesMarkers.NONE);
        if (line != null) {
            line.setLineWidth(2.5f);
            line.setShowInLegend(false);
        }
        series(
                chart,
                "Pareto front",
                front.stream()
                        .map(f -> new double[] {f.latencyMs(), f.top1() * 100})
                        .toList(),
                XYSeriesRenderStyle.Scatter,
                FRONT,
                new ScaledMarker(SeriesMarkers.CIRCLE, 1.4));
    }

    private static void addBaselines(XYChart chart, List<TrialPoint> baselines) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < baselines.size(); i++) {
            TrialPoint b = baselines.get(i);
            String label = shorten(b.label());
            String name =
                    names.add("baseline: " + label) ? "baseline: " + label : "baseline: " + label + " (" + b.id() + ")";
            series(
                    chart,
                    name,
                    List.<double[]>of(new double[] {b.latencyMs(), b.top1Percent()}),
                    XYSeriesRenderStyle.Scatter,
                    ChartPalette.COLORS[i % ChartPalette.COLORS.length],
                    new ScaledMarker(ChartPalette.MARKERS[i % ChartPalette.MARKERS.length], 1.5));
        }
        Range y = Range.y(chart, Double.NaN);
        for (TrialPoint b : baselines) {
            chart.addAnnotation(
                    new AnnotationText(shorten(b.label()), b.latencyMs(), b.top1Percent() + 0.05 * y.span(), false));
        }
    }

    private static void scatter(XYChart chart, String name, List<TrialPoint> points, Color color, Marker marker) {
        series(
                chart,
                name,
                points.stream()
                        .map(p -> new double[] {p.latencyMs(), p.top1Percent()})
                        .toList(),
                XYSeriesRenderStyle.Scatter,
                color,
                marker);
    }

    /** Adds a series unless it has no points; returns it, or null. */
    private static XYSeries series(
            XYChart chart, String name, List<double[]> xy, XYSeriesRenderStyle style, Color color, Marker marker) {
        if (xy.isEmpty()) {
            return null;
        }
        XYSeries s = chart.addSeries(
                name,
                xy.stream().mapToDouble(p -> p[0]).toArray(),
                xy.stream().mapToDouble(p -> p[1]).toArray());
        s.setXYSeriesRenderStyle(style);
        s.setMarker(marker);
        s.setMarkerColor(color);
        s.setLineColor(color);
        return s;
    }

    private static void setRanges(XYChart chart, Range x, Range y) {
        double xPad = (x.span() - (x.max - x.min)) / 2 + 0.06 * x.span();
        double yPad = (y.span() - (y.max - y.min)) / 2;
        chart.getStyler().setXAxisMin(Math.max(0, x.min - xPad));
        chart.getStyler().setXAxisMax(x.max + xPad);
        chart.getStyler().setYAxisMin(y.min - yPad - 0.08 * y.span());
        chart.getStyler().setYAxisMax(y.max + yPad + 0.12 * y.span());
    }

    static String shorten(String label) {
        return label.length() <= LABEL_CHARS ? label : label.substring(0, LABEL_CHARS - 1) + "\u2026";
    }

    /** The extent of the chart's data on one axis, never narrower than {@code minSpan}. */
    private record Range(double min, double max, double minSpan) {
        static Range x(XYChart chart) {
            double min = chart.getSeriesMap().values().stream()
                    .mapToDouble(XYSeries::getXMin)
                    .min()
                    .orElse(0);
            double max = chart.getSeriesMap().values().stream()
                    .mapToDouble(XYSeries::getXMax)
                    .max()
                    .orElse(1);
            return new Range(min, max, Math.max(Math.abs(max) * 0.2, 1e-3));
        }

        /** The y extent, including {@code extra} (e.g. the constraint) unless it is NaN. */
        static Range y(XYChart chart, double extra) {
            DoubleStream mins = chart.getSeriesMap().values().stream().mapToDouble(XYSeries::getYMin);
            DoubleStream maxs = chart.getSeriesMap().values().stream().mapToDouble(XYSeries::getYMax);
            double min = Math.min(mins.min().orElse(0), Double.isNaN(extra) ? Double.POSITIVE_INFINITY : extra);
            double max = Math.max(maxs.max().orElse(100), Double.isNaN(extra) ? Double.NEGATIVE_INFINITY : extra);
            return new Range(min, max, 1.0);
        }

        double span() {
            return Math.max(max - min, minSpan);
        }
    }
}
