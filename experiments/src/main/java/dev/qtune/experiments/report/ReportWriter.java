package dev.qtune.experiments.report;

import dev.qtune.compiler.QtuneException;
import dev.qtune.experiments.run.AtomicFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a run directory's {@code report.html}: one self-contained page (inline CSS and SVG, no
 * scripts, fonts or URLs) with the run's summary, the Pareto plot, the hypervolume history, the
 * front with per-layer bit maps, the baselines, the time split, the failures and the final
 * re-measurement. Every string from the model, the config or the trial log is HTML-escaped.
 * While a search runs, {@link #writeLive} writes the same page with a meta refresh (the page
 * reloads itself) and a line saying how far the search is; the report written at the end has
 * neither.
 */
public final class ReportWriter {
    /** The report's file name inside the run directory. */
    public static final String REPORT = "report.html";
    /** How often a live report reloads itself, in seconds. */
    public static final int REFRESH_SECONDS = 10;

    private static final Logger LOG = LoggerFactory.getLogger(ReportWriter.class);

    private ReportWriter() {}

    /**
     * Reads the run directory and (re)writes its report.html, atomically.
     *
     * @return the report's path
     * @throws QtuneException if the directory or its trials.jsonl is missing, or a file of the run is malformed
     */
    public static Path write(Path runDir) {
        return write(runDir, false);
    }

    /**
     * As {@link #write}, for a search that is still running: the page reloads itself every
     * {@value #REFRESH_SECONDS} s and says how far the search is.
     */
    public static Path writeLive(Path runDir) {
        return write(runDir, true);
    }

    private static Path write(Path runDir, boolean live) {
        RunSnapshot run = RunSnapshot.load(runDir);
        String html = render(run, live);
        Path report = runDir.resolve(REPORT);
        AtomicFile.write(report, html);
        LOG.info(
                "wrote {}{} ({} trials, {} torn lines skipped)",
                report,
                live ? " (live)" : "",
                run.log().records().size(),
                run.log().tornLines());
        return report;
    }

    /** The finished page of a run. */
    static String render(RunSnapshot run) {
        return render(run, false);
    }

    /** The page of a run; {@code live}: with the reload and the progress line of a running search. */
    static String render(RunSnapshot run, boolean live) {
        List<FrontEntry> front = FrontEntry.of(run);
        List<FinalMeasurement> finals = FinalMeasurement.of(run);
        String experiment = SummarySection.experiment(run);
        StringBuilder sb = new StringBuilder(1 << 16);
        head(sb, run, experiment, live);
        section(sb, "Accuracy against latency", paretoPlot(run, front, finals, experiment));
        section(
                sb,
                "Hypervolume by generation",
                chart(
                        HypervolumeChart.of(run.progress()),
                        "hypervolume",
                        "Hypervolume by generation",
                        "No generation has finished yet."));
        section(
                sb,
                "Pareto front" + (FrontEntry.fromPareto(run) ? "" : " (computed from trials.jsonl)"),
                FrontSection.html(run, front));
        String sensitivity = SensitivitySection.html(run);
        if (sensitivity != null) {
            section(sb, "Sensitivity by layer", sensitivity);
        }
        section(sb, "Time per trial", TimeSection.html(TimeSplit.of(run.trials())));
        section(sb, "Failures", FailureSection.html(run));
        section(sb, "Final re-measurement", FinalSection.html(run, finals));
        sb.append("<footer>Written by qtune report from ")
                .append(Html.escape(RunSnapshot.TRIALS))
                .append(", ")
                .append(Html.escape(RunSnapshot.PARETO))
                .append(" and ")
                .append(Html.escape(RunSnapshot.PROGRESS))
                .append(".</footer>\n</body>\n</html>\n");
        return sb.toString();
    }

    /** The page's head, title, heading, the live line and the summary. */
    private static void head(StringBuilder sb, RunSnapshot run, String experiment, boolean live) {
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append(live ? "<meta http-equiv=\"refresh\" content=\"" + REFRESH_SECONDS + "\">\n" : "")
                .append("<title>qtune report: ")
                .append(Html.escape(experiment))
                .append("</title>\n")
                .append("<style>\n")
                .append(css())
                .append("</style>\n</head>\n<body>\n")
                .append("<h1>qtune report: ")
                .append(Html.escape(experiment))
                .append("</h1>\n")
                .append(live ? liveLine(run) : "")
                .append(SummarySection.html(run));
    }

    /** The Pareto plot, or a note that nothing succeeded yet. */
    private static String paretoPlot(
            RunSnapshot run, List<FrontEntry> front, List<FinalMeasurement> finals, String experiment) {
        ParetoChart.Plot pareto = ParetoChart.of(run, front, finals);
        return pareto == null
                ? chart(null, "pareto", "", "No successful trial to plot yet.")
                : Svg.inline(
                                pareto.chart(),
                                "pareto",
                                "Pareto plot: " + RunMetric.of(run).title() + " against median latency of "
                                        + experiment,
                                pareto.points())
                        + "<p class=\"hint\">Hover over a point for its trial and config.</p>\n";
    }

    /** The line at the top of a live report: the search runs, how far it is, when the page was written. */
    private static String liveLine(RunSnapshot run) {
        String done = "";
        long trials = run.records("search").size();
        if (!run.progress().isEmpty()) {
            ProgressRow last = run.progress().get(run.progress().size() - 1);
            done = "generation " + last.generation() + " done, ";
            trials = last.trials() >= 0 ? last.trials() : trials;
        }
        return "<p class=\"live\">Search in progress: " + done + trials + " search trial" + (trials == 1 ? "" : "s")
                + " so far (written at " + LocalTime.now().withNano(0) + "). This page reloads every " + REFRESH_SECONDS
                + " s until the search ends.</p>\n";
    }

    private static void section(StringBuilder sb, String title, String body) {
        sb.append("<section>\n<h2>")
                .append(Html.escape(title))
                .append("</h2>\n")
                .append(body)
                .append("</section>\n");
    }

    private static String chart(XYChart chart, String id, String title, String absent) {
        return chart == null ? "<p class=\"note\">" + Html.escape(absent) + "</p>\n" : Svg.inline(chart, id, title);
    }

    /** The reports' style sheet. */
    static String css() {
        try (InputStream in = ReportWriter.class.getResourceAsStream("report.css")) {
            if (in == null) {
                throw new IllegalStateException("report.css is missing from the qtune jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
