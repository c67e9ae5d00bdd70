package dev.qtune.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qtune.compiler.QtuneException;
import dev.qtune.experiments.run.AtomicFile;
import dev.qtune.experiments.run.RunComparison;
import dev.qtune.experiments.run.RunDirectory;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The comparison report of a sweep (sweep.html): mean hypervolume against trials per group (a
 * group = the sweep's values but the seed), every run's front overlaid, and tables per run and
 * per group. Hypervolumes share one reference point (RunComparison), so groups compare.
 */
public final class SweepReport {
    public static final String REPORT = "sweep.html";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Color[] COLORS = {
        ChartPalette.BLUE,
        ChartPalette.MAGENTA,
        ChartPalette.GREEN,
        ChartPalette.ORANGE,
        ChartPalette.SKY,
        ChartPalette.PINK,
        ChartPalette.GREY
    };
    /** A circle, then the palette's markers. */
    private static final Marker[] MARKERS = Stream.concat(
                    Stream.of(SeriesMarkers.CIRCLE), Arrays.stream(ChartPalette.MARKERS))
            .toArray(Marker[]::new);

    private SweepReport() {}

    /** One run of the sweep: its name, group, seed (0 when the sweep has none) and run directory. */
    public record Entry(String name, String group, long seed, Path dir) {}

    /**
     * Writes {@code dir/sweep.html} for the runs (each a finished run directory) and their
     * hypervolumes after every trial ({@link RunComparison#compareEveryTrial}, in the same order);
     * returns its path.
     */
    public static Path write(Path dir, String title, List<Entry> runs, List<RunComparison.Row> everyTrial) {
        Path report = dir.resolve(REPORT);
        AtomicFile.write(report, render(dir, title, runs, everyTrial));
        return report;
    }

    static String render(Path dir, String title, List<Entry> runs, List<RunComparison.Row> rows) {
        int trials = rows.get(0).hypervolume().size();
        List<Integer> every = List.copyOf(rows.get(0).hypervolume().keySet());
        List<JsonNode> paretos = runs.stream().map(r -> pareto(r.dir())).toList();
        Map<String, List<RunComparison.Row>> groups = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            groups.computeIfAbsent(runs.get(i).group(), k -> new ArrayList<>()).add(rows.get(i));
        }
        StringBuilder sb = new StringBuilder(1 << 16);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>qtune sweep: ")
                .append(Html.escape(title))
                .append("</title>\n<style>\n")
                .append(ReportWriter.css())
                .append("</style>\n</head>\n<body>\n<h1>qtune sweep: ")
                .append(Html.escape(title))
                .append("</h1>\n")
                .append("<p class=\"note\">")
                .append(runs.size())
                .append(" runs in ")
                .append(groups.size())
                .append(
                        " groups; hypervolume of each run's feasible search trials against one reference point shared by "
                                + "all runs (top-1 error × median latency, both minimised).</p>\n");
        sb.append("<section>\n<h2>Hypervolume against trials (mean per group)</h2>\n")
                .append(Svg.inline(
                        hypervolumeChart(groups, every), "sweep-hv", "Mean hypervolume against trials per group"))
                .append("</section>\n<section>\n<h2>Fronts overlaid</h2>\n")
                .append(Svg.inline(frontChart(runs, paretos, groups), "sweep-fronts", "Pareto fronts of every run"))
                .append("</section>\n<section>\n<h2>Groups</h2>\n")
                .append(groupTable(groups, trials))
                .append("</section>\n<section>\n<h2>Runs</h2>\n")
                .append(runTable(dir, runs, paretos, rows, trials))
                .append(
                        "</section>\n<footer>Written by qtune sweep from the runs' trials.jsonl and pareto.json.</footer>\n")
                .append("</body>\n</html>\n");
        return sb.toString();
    }

    private static XYChart hypervolumeChart(Map<String, List<RunComparison.Row>> groups, List<Integer> every) {
        XYChart chart = new XYChartBuilder()
                .width(1000)
                .height(420)
                .xAxisTitle("search trials")
                .yAxisTitle("hypervolume")
                .build();
        style(chart);
        int g = 0;
        for (var e : groups.entrySet()) {
            Map<Integer, Double> mean = RunComparison.mean(e.getValue(), every);
            XYSeries s = chart.addSeries(
                    e.getKey() + " (" + e.getValue().size() + " runs)",
                    every.stream().mapToDouble(Integer::doubleValue).toArray(),
                    every.stream().mapToDouble(mean::get).toArray());
            s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(COLORS[g % COLORS.length]);
            s.setLineWidth(2f);
            g++;
        }
        return chart;
    }

    private static XYChart frontChart(
            List<Entry> runs, List<JsonNode> paretos, Map<String, List<RunComparison.Row>> groups) {
        XYChart chart = new XYChartBuilder()
                .width(1000)
                .height(520)
                .xAxisTitle("median latency (ms)")
                .yAxisTitle("top-1 (%)")
                .build();
        style(chart);
        List<String> groupNames = List.copyOf(groups.keySet());
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            Entry r = runs.get(i);
            List<double[]> front = new ArrayList<>();
            for (JsonNode f : paretos.get(i).path("front")) {
                front.add(new double[] {
                    f.path("latency_ms").asDouble(), 100 * f.path("top1").asDouble()
                });
            }
            if (front.isEmpty()) {
                continue;
            }
            front.sort((a, b) -> Double.compare(a[0], b[0]));
            int g = groupNames.indexOf(r.group());
            int k = seen.merge(r.group(), 1, Integer::sum) - 1;
            XYSeries s = chart.addSeries(
                    r.name(),
                    front.stream().mapToDouble(p -> p[0]).toArray(),
                    front.stream().mapToDouble(p -> p[1]).toArray());
            s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
            s.setMarker(MARKERS[k % MARKERS.length]);
            s.setMarkerColor(COLORS[g % COLORS.length]);
            s.setLineColor(COLORS[g % COLORS.length]);
        }
        return chart;
    }

    private static String groupTable(Map<String, List<RunComparison.Row>> groups, int trials) {
        List<Integer> at = checkpoints(trials);
        String[] headers = new String[2 + at.size()];
        headers[0] = "group";
        headers[1] = "runs";
        for (int i = 0; i < at.size(); i++) {
            headers[2 + i] = "mean HV @" + at.get(i);
        }
        HtmlTable t = new HtmlTable("sweep-groups", headers);
        for (var e : groups.entrySet()) {
            Map<Integer, Double> mean = RunComparison.mean(e.getValue(), at);
            List<HtmlTable.Cell> cells = new ArrayList<>(List.of(
                    HtmlTable.Cell.text(e.getKey()),
                    HtmlTable.Cell.num(Integer.toString(e.getValue().size()))));
            at.forEach(n -> cells.add(HtmlTable.Cell.num(String.format(Locale.ROOT, "%.5f", mean.get(n)))));
            t.row(cells.toArray(HtmlTable.Cell[]::new));
        }
        return t.html();
    }

    private static String runTable(
            Path dir, List<Entry> runs, List<JsonNode> paretos, List<RunComparison.Row> rows, int trials) {
        HtmlTable t = new HtmlTable(
                "sweep-runs",
                "run",
                "group",
                "seed",
                "trials",
                "failed",
                "HV @" + trials,
                "best top-1",
                "fastest on front");
        for (int i = 0; i < runs.size(); i++) {
            Entry r = runs.get(i);
            JsonNode p = paretos.get(i);
            double best = 0;
            double fastest = Double.POSITIVE_INFINITY;
            for (JsonNode f : p.path("front")) {
                best = Math.max(best, f.path("top1").asDouble());
                fastest = Math.min(fastest, f.path("latency_ms").asDouble());
            }
            String href = dir.relativize(r.dir().resolve("report.html")).toString();
            t.row(
                    Html.isSafeRelativeHref(href)
                            ? HtmlTable.Cell.html(
                                    "<a href=\"" + Html.escape(href) + "\">" + Html.escape(r.name()) + "</a>")
                            : HtmlTable.Cell.text(r.name()),
                    HtmlTable.Cell.text(r.group()),
                    HtmlTable.Cell.num(Long.toString(r.seed())),
                    HtmlTable.Cell.num(Integer.toString(rows.get(i).trials())),
                    HtmlTable.Cell.num(Integer.toString(p.path("failures").asInt())),
                    HtmlTable.Cell.num(String.format(
                            Locale.ROOT, "%.5f", rows.get(i).hypervolume().get(trials))),
                    HtmlTable.Cell.num(best > 0 ? Format.top1(best) : Format.NA),
                    HtmlTable.Cell.num(Double.isFinite(fastest) ? Format.ms(fastest) : Format.NA));
        }
        return t.html();
    }

    /** A quarter, half and all of the trials (distinct, at least 1). */
    public static List<Integer> checkpoints(int trials) {
        return IntStream.of(Math.max(1, trials / 4), Math.max(1, trials / 2), Math.max(1, trials))
                .distinct()
                .boxed()
                .toList();
    }

    private static void style(XYChart chart) {
        Styler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(230, 230, 230));
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        s.setLegendBorderColor(Color.WHITE);
        s.setMarkerSize(7);
        chart.getStyler().setYAxisDecimalPattern("#0.####");
    }

    private static JsonNode pareto(Path run) {
        try {
            return JSON.readTree(run.resolve(RunDirectory.PARETO).toFile());
        } catch (IOException e) {
            throw new QtuneException("cannot read " + run.resolve(RunDirectory.PARETO) + ": " + e.getMessage(), e);
        }
    }
}
