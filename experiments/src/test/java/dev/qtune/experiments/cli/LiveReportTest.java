package dev.qtune.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qtune.experiments.config.ExperimentConfig;
import dev.qtune.experiments.config.ExperimentReader;
import dev.qtune.experiments.report.LiveReport;
import dev.qtune.experiments.report.ReportWriter;
import dev.qtune.experiments.run.RunDirectory;
import dev.qtune.experiments.run.SearchListeners;
import dev.qtune.experiments.run.SearchRunner;
import dev.qtune.experiments.testing.TinyExperiment;
import dev.qtune.search.loop.GenerationSummary;
import dev.qtune.search.loop.SearchListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A real search (mlp_mnist, native code for this host, three generations of two trials) with the
 * live report that `qtune search` attaches: after each generation report.html is there, reloads
 * itself, says which generation is done, and names every successful trial logged so far on hover;
 * the report written at the end does not reload.
 */
class LiveReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void reportIsRewrittenAfterEachGenerationWhileTheSearchRuns() throws IOException {
        Path run = tmp.resolve("run");
        ExperimentConfig exp = ExperimentReader.read(
                        TinyExperiment.write(tmp, "live-report", 6, 2, 1, 3, "executor: {type: local, workers: 1}"))
                .withOutput(run);
        List<String> seen = new ArrayList<>();
        SearchListener probe = new SearchListener() {
            @Override
            public void generationFinished(GenerationSummary s) {
                seen.add(check(run, s.generation()));
            }
        };
        LiveReport live = new LiveReport(run);
        StringWriter err = new StringWriter();
        SearchRunner.Result r = new SearchRunner(exp, HostTarget.resolve(new CommandLine(new QtuneMain()), "auto"))
                .run(false, SearchCommand.executor(exp, null, new PrintWriter(err)), SearchListeners.both(live, probe));
        assertEquals(List.of("generation 0", "generation 1", "generation 2"), seen, "a live report per generation");
        assertEquals(6, r.outcome().trials().size());

        String done = Files.readString(ReportWriter.write(run));
        assertFalse(done.contains("http-equiv=\"refresh\""), "the finished report does not reload");
        assertFalse(done.contains("Search in progress"));
        ReportWriter.writeLive(run);
        live.stopped();
        assertFalse(
                Files.readString(run.resolve(ReportWriter.REPORT)).contains("http-equiv=\"refresh\""),
                "a search that stopped on an error leaves a report that does not reload");
    }

    /** Checks the live report after {@code generation}; returns "generation N" as its progress line says. */
    private static String check(Path run, int generation) {
        try {
            String html = Files.readString(run.resolve(ReportWriter.REPORT));
            assertTrue(html.contains("<meta http-equiv=\"refresh\" content=\"" + ReportWriter.REFRESH_SECONDS + "\">"));
            int ok = 0;
            for (String line : Files.readAllLines(run.resolve(RunDirectory.TRIALS))) {
                JsonNode t = JSON.readTree(line);
                if (t.path("kind").asText().equals("search")
                        && t.path("status").asText().equals("OK")) {
                    String id = t.path("id").asText();
                    assertTrue(
                            html.contains("data-id=\"" + id + "\"><title>" + id + ", generation "
                                    + t.path("generation").asInt()),
                            "no hover title for " + id + " after generation " + generation);
                    ok++;
                }
            }
            assertTrue(ok >= 1, "successful trials after generation " + generation);
            String marker = "Search in progress: generation ";
            int at = html.indexOf(marker);
            assertTrue(at > 0, "the progress line");
            return html.substring(at + marker.length() - "generation ".length(), html.indexOf(" done", at));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
