package dev.qtune.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qtune.compiler.QtuneException;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

class ReportWriterTest {
    @TempDir
    Path tmp;

    private String report(Path run) throws Exception {
        Path file = ReportWriter.write(run);
        assertEquals(run.resolve("report.html"), file);
        return Files.readString(file);
    }

    @Test
    void reportHasThePlotsAndEveryTable() throws Exception {
        Path run = RunFixture.write(tmp.resolve("run"));
        String html = report(run);
        assertEquals(2, count(html, "<svg "), "the Pareto plot and the hypervolume chart");
        try (var files = Files.list(run)) {
            assertEquals(
                    List.of(),
                    files.filter(f -> f.getFileName().toString().endsWith(".tmp"))
                            .toList());
        }
        for (String part : List.of(
                "Accuracy against latency",
                "Hypervolume by generation",
                "Pareto front",
                "Baselines",
                "Time per trial",
                "Failures",
                "Final re-measurement",
                "x86-avx2",
                "gcc 12.2.0")) {
            assertTrue(html.contains(part), part);
        }
        assertTrue(html.contains("<a href=\"best/t"), "links to the front's quant configs");
        assertTrue(html.contains("latency: timed out after 30 s"), "failure reasons");
        assertEquals(2, count(table(html, "failures"), "<tr><td>"), "two failed trials");
        assertEquals(5, count(table(html, "final"), "<tr><td>"), "fp32, three re-measured front members, the baseline");
        assertEquals(1, count(table(html, "baselines"), "<tr><td>"), "one baseline");
        assertTrue(count(table(html, "front"), "<tr><td>") >= 2, "a front of several members");
        assertTrue(html.contains("class=\"cell fp32\""), "fp32 layers have their own cell");
        assertTrue(html.contains("warm-cache trial time"), html);
        assertFalse(html.contains("<p class=\"note\">"), "no notes for a complete run");
    }

    @Test
    void everyStringFromTheRunIsEscaped() throws Exception {
        String html = report(RunFixture.write(tmp.resolve("run")));
        assertFalse(html.toLowerCase().contains("<script"), "no script element");
        assertFalse(html.contains("alert(1)</"), "the layer name is not markup");
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; (Conv): weights"), "the layer's tooltip");
        assertTrue(html.contains("int8 KL defaults &amp;&quot;&#39;"), "the baseline label");
        assertTrue(html.contains("lenet5 &lt;fp32&gt;.onnx"), "the model");
        assertTrue(html.contains("<title>qtune report: lenet5-avx2 &amp; &lt;friends&gt;</title>"), "the experiment");
        assertTrue(html.contains("error: &lt;expected &#39;;&#39;&gt;"), "the failure reason");
        assertTrue(html.contains("ci-host &lt;amd64&gt;"), "the host");
    }

    @Test
    void selfContainedNoUrlsButXmlNamespaces() throws Exception {
        String html = report(RunFixture.write(tmp.resolve("run")));
        Matcher m = Pattern.compile("https?://").matcher(html);
        List<String> urls = new ArrayList<>();
        while (m.find()) {
            String before = html.substring(Math.max(0, m.start() - 14), m.start());
            if (!before.matches(".*xmlns(:\\w+)?=\"$")) {
                urls.add(html.substring(m.start(), Math.min(html.length(), m.start() + 60)));
            }
        }
        assertEquals(List.of(), urls);
        assertFalse(html.contains("<?xml"), "no XML prolog inside HTML");
        assertFalse(html.contains("<!DOCTYPE svg"), "no DTD reference");
        assertFalse(html.contains("<link") || html.contains("@import") || html.contains("url(http"));
        assertTrue(html.contains("<style>"));
    }

    @Test
    void svgIdsAreUniqueAcrossCharts() throws Exception {
        String html = report(RunFixture.write(tmp.resolve("run")));
        Matcher m = Pattern.compile(" id=\"([^\"]+)\"").matcher(html);
        Set<String> ids = new HashSet<>();
        while (m.find()) {
            assertTrue(ids.add(m.group(1)), "duplicate id " + m.group(1));
        }
        Matcher refs = Pattern.compile("url\\(#([^)]+)\\)").matcher(html);
        while (refs.find()) {
            assertTrue(ids.contains(refs.group(1)), "dangling reference " + refs.group(1));
        }
    }

    @Test
    void xchartDrawsTextAsOutlinesSoNoChartStringReachesTheSvg() {
        XYChart chart = new XYChartBuilder()
                .width(300)
                .height(200)
                .title("<b>title</b>")
                .xAxisTitle("&x")
                .build();
        chart.addSeries(RunFixture.EVIL_LAYER, new double[] {1, 2}, new double[] {3, 4});
        String svg = Svg.inline(chart, "c", "a <chart> & \"more\"");
        assertTrue(
                svg.startsWith(
                        "<svg class=\"chart\" role=\"img\" aria-label=\"a &lt;chart&gt; &amp; &quot;more&quot;\" "),
                svg.substring(0, 200));
        assertTrue(svg.contains("<title>a &lt;chart&gt; &amp; &quot;more&quot;</title>"));
        assertFalse(svg.contains("<script") || svg.contains("alert") || svg.contains("<b>") || svg.contains("&x"));
        assertFalse(svg.contains("<text"), "XChart's SVG has no text elements: glyphs are paths");
    }

    @Test
    void everyPlottedPointNamesItsTrialAndConfigOnHover() throws Exception {
        Path run = RunFixture.write(tmp.resolve("run"));
        String html = report(run);
        RunSnapshot snapshot = RunSnapshot.load(run);
        Map<String, String> titles = hoverTitles(html);
        List<TrialPoint> drawn = new ArrayList<>(snapshot.points("search"));
        drawn.addAll(snapshot.points("baseline"));
        assertEquals(
                drawn.size() + FinalMeasurement.of(snapshot).size(),
                count(html, "<circle "),
                "one hover target per trial, baseline and final re-measure");
        for (TrialPoint p : drawn) {
            String title = titles.get(p.id());
            assertTrue(title != null, "no hover title for " + p.id());
            assertTrue(
                    title.startsWith(p.id() + (p.kind().equals("baseline") ? ": baseline " : ", generation ")), title);
            assertTrue(
                    title.contains("top-1 " + Format.top1(p.top1()) + ", median " + Format.ms(p.latencyMs())), title);
            assertTrue(title.contains("\nconv1: ") && title.contains("\nfc3: "), "one line per layer: " + title);
            assertTrue(title.contains("&lt;script&gt;alert(1)&lt;/script&gt;: "), "layer names escaped: " + title);
        }
        String front = titles.get(FrontEntry.of(snapshot).get(0).id());
        assertTrue(front.contains(", on the Pareto front"), front);
        assertTrue(front.contains("[tile_oc=8 unroll=2]"), "the schedule it was built with: " + front);
        assertTrue(html.contains("fp32"), "a skipped layer says fp32");
        assertTrue(html.contains("<title>final re-measure of "), "final re-measures name their trial");
    }

    @Test
    void hoverTargetsSitOnTheirMarkers() throws Exception {
        RunSnapshot run = RunSnapshot.load(RunFixture.write(tmp.resolve("run")));
        List<FrontEntry> front = FrontEntry.of(run);
        ParetoChart.Plot plot = ParetoChart.of(run, front, FinalMeasurement.of(run));
        String svg = Svg.inline(plot.chart(), "p", "t", plot.points());
        BufferedImage image = BitmapEncoder.getBufferedImage(plot.chart());
        Matcher m = Pattern.compile("<circle cx=\"([0-9.]+)\" cy=\"([0-9.]+)\" r=\"7\" data-id=\"([^\"]+)\"")
                .matcher(svg);
        Set<String> frontIds = new HashSet<>(front.stream().map(FrontEntry::id).toList());
        int checked = 0;
        while (m.find()) {
            if (frontIds.remove(m.group(3))) {
                int x = (int) Math.round(Double.parseDouble(m.group(1)));
                int y = (int) Math.round(Double.parseDouble(m.group(2)));
                assertTrue(
                        near(image, x, y, ParetoChart.FRONT),
                        "no front marker under the hover target of " + m.group(3) + " at " + x + "," + y);
                checked++;
            }
        }
        assertTrue(checked >= 2, "front members checked: " + checked);
    }

    @Test
    void liveReportReloadsItselfAndTheFinishedOneDoesNot() throws Exception {
        Path run = RunFixture.write(tmp.resolve("run"));
        String live = Files.readString(ReportWriter.writeLive(run));
        assertTrue(live.contains("<meta http-equiv=\"refresh\" content=\"" + ReportWriter.REFRESH_SECONDS + "\">"));
        assertTrue(
                live.contains("Search in progress: generation " + (RunFixture.GENERATIONS - 1) + " done, "
                        + RunFixture.GENERATIONS * RunFixture.PER_GENERATION + " search trials so far"),
                live);
        String done = report(run);
        assertFalse(done.contains("http-equiv=\"refresh\""));
        assertFalse(done.contains("Search in progress"));
        assertEquals(
                done.replaceAll("\\s+", " "),
                live.replaceAll("<meta http-equiv=\"refresh\"[^>]*>\n", "")
                        .replaceAll("<p class=\"live\">[^\n]*\n", "")
                        .replaceAll("\\s+", " "),
                "the same page but for the reload and the progress line");
    }

    @Test
    void finalTableShowsFp32BesideTheFrontAndTheBaselines() throws Exception {
        String table = table(report(RunFixture.write(tmp.resolve("run"))), "final");
        List<String> rows = List.of(table.split("<tr><td>"));
        assertTrue(
                rows.get(1)
                        .startsWith("fp32</td><td>fp32 model (reference)</td><td class=\"num\">99.12 %</td>"
                                + "<td class=\"num\">99.04 %</td>"),
                rows.get(1));
        assertEquals(3, count(table, "<td>Pareto front</td>"));
        assertEquals(1, count(table, "<td>baseline: " + Html.escape(RunFixture.BASELINE_LABEL) + "</td>"));
        String baseline = rows.get(rows.size() - 1);
        double top1 =
                Double.parseDouble(baseline.replaceAll("(?s).*?(\\d+\\.\\d+) %</td><td class=\"num\">[+-].*", "$1"));
        assertTrue(baseline.contains(Format.top1Delta(top1 / 100 - 0.9904)), "vs fp32: " + baseline);
    }

    @Test
    void tornLastLineIsSkippedAndNoted() throws Exception {
        Path run = RunFixture.write(tmp.resolve("run"));
        int trials = Files.readAllLines(run.resolve("trials.jsonl")).size();
        Files.writeString(run.resolve("trials.jsonl"), "{\"trial\":99,\"id\":\"t00", StandardOpenOption.APPEND);
        String html = report(run);
        assertTrue(html.contains("ends with a torn line"), "a note says so");
        assertEquals(trials, RunSnapshot.load(run).log().records().size());
    }

    @Test
    void earlyRunWithoutParetoOrProgressStillReports() throws Exception {
        Path run = RunFixture.write(tmp.resolve("run"));
        Files.delete(run.resolve("pareto.json"));
        Files.delete(run.resolve("progress.csv"));
        String html = report(run);
        assertEquals(1, count(html, "<svg "), "the Pareto plot only");
        assertTrue(html.contains("Pareto front (computed from trials.jsonl)"));
        assertTrue(html.contains("No generation has finished yet."));
        assertFalse(FrontEntry.of(RunSnapshot.load(run)).isEmpty());
    }

    @Test
    void runWithOnlyFailuresHasNoPlotButATable() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("failed"));
        Files.writeString(
                run.resolve("trials.jsonl"),
                "{\"trial\":0,\"id\":\"t0000\",\"kind\":\"search\",\"generation\":0,"
                        + "\"status\":\"FAILED\",\"reason\":\"compile: <boom>\"}\n");
        String html = report(run);
        assertFalse(html.contains("<svg"));
        assertTrue(html.contains("No successful trial to plot yet."));
        assertTrue(html.contains("compile: &lt;boom&gt;"));
    }

    @Test
    void computedFrontIsTheNonDominatedFeasibleTrials() throws Exception {
        RunSnapshot run = RunSnapshot.load(RunFixture.write(tmp.resolve("run")));
        List<TrialPoint> front = FrontEntry.nonDominated(
                run.points("search").stream().filter(TrialPoint::feasible).toList());
        List<String> fromPareto =
                FrontEntry.of(run).stream().map(FrontEntry::id).toList();
        assertEquals(fromPareto, front.stream().map(TrialPoint::id).toList());
    }

    @Test
    void timeSplitMeansTotalsAndWarmMedian() throws Exception {
        List<ObjectNode> trials = new ArrayList<>();
        double[] totals = {10, 2, 3, 5};
        for (int i = 0; i < totals.length; i++) {
            ObjectNode t = RunFixture.MAPPER.createObjectNode().put("trial", i);
            t.putObject("times_s").put("compile", totals[i] / 2).put("total", totals[i]);
            trials.add(t);
        }
        trials.add(RunFixture.MAPPER.createObjectNode().put("trial", 9));
        TimeSplit s = TimeSplit.of(trials);
        assertEquals(4, s.trials());
        assertEquals(10, s.firstTotalS());
        assertEquals(3, s.warmMedianS(), "median of 2, 3, 5");
        TimeSplit.Phase compile = s.phases().get(2);
        assertEquals("compile", compile.name());
        assertEquals(10, compile.totalS(), 1e-12);
        assertEquals(2.5, compile.meanS(), 1e-12);
        assertEquals(0, s.phases().get(0).count(), "no trial recorded calibrate");
    }

    @Test
    void missingRunDirectoryAndTrialLogAreOneLineErrors() throws Exception {
        QtuneException e = assertThrows(QtuneException.class, () -> ReportWriter.write(tmp.resolve("nope")));
        assertEquals("run directory not found: " + tmp.resolve("nope"), e.getMessage());
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        e = assertThrows(QtuneException.class, () -> ReportWriter.write(empty));
        assertEquals("not a run directory: " + empty.resolve("trials.jsonl") + " not found", e.getMessage());
    }

    @Test
    void malformedParetoAndProgressNameTheirFiles() throws Exception {
        Path run = RunFixture.write(tmp.resolve("run"));
        Files.writeString(run.resolve("progress.csv"), "generation,trials\n0,6\nzero,12\n1,18\n");
        QtuneException e = assertThrows(QtuneException.class, () -> ReportWriter.write(run));
        assertEquals(
                run.resolve("progress.csv") + ":3: column 'generation' must be a number, but was 'zero'",
                e.getMessage());
        Files.writeString(run.resolve("pareto.json"), "{\"front\": [");
        e = assertThrows(QtuneException.class, () -> ReportWriter.write(run));
        assertTrue(e.getMessage().startsWith(run.resolve("pareto.json") + ": not valid JSON"), e.getMessage());
    }

    /** The hover title of each point of the Pareto plot, by trial id (the last one drawn for an id). */
    private static Map<String, String> hoverTitles(String html) {
        Map<String, String> out = new HashMap<>();
        Matcher m = Pattern.compile("<circle [^>]*data-id=\"([^\"]+)\"><title>([^<]*)</title></circle>")
                .matcher(html);
        while (m.find()) {
            out.putIfAbsent(m.group(1), m.group(2));
        }
        return out;
    }

    /** Whether a pixel within 2 px of (x, y) has this colour (within a small tolerance). */
    private static boolean near(BufferedImage image, int x, int y, Color c) {
        for (int dy = -2; dy <= 2; dy++) {
            for (int dx = -2; dx <= 2; dx++) {
                int px = x + dx;
                int py = y + dy;
                if (px < 0 || py < 0 || px >= image.getWidth() || py >= image.getHeight()) {
                    continue;
                }
                Color p = new Color(image.getRGB(px, py));
                if (Math.abs(p.getRed() - c.getRed())
                                + Math.abs(p.getGreen() - c.getGreen())
                                + Math.abs(p.getBlue() - c.getBlue())
                        < 40) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The markup of the table with this class. */
    private static String table(String html, String cssClass) {
        int start = html.indexOf("<table class=\"" + cssClass + "\">");
        assertTrue(start >= 0, "no table " + cssClass);
        return html.substring(start, html.indexOf("</table>", start));
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
