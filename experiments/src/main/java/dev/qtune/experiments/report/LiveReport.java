package dev.qtune.experiments.report;

import dev.qtune.search.loop.GenerationSummary;
import dev.qtune.search.loop.SearchListener;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a running search's report.html current: after each generation (once the run directory's
 * trials.jsonl, pareto.json and progress.csv have it) the report is rewritten as a live page that
 * reloads itself. A report that cannot be written is a warning, never the end of the search. When
 * the search stops on an error, {@link #stopped()} rewrites the report without the reload; a
 * finished search's caller writes the final report itself.
 */
public final class LiveReport implements SearchListener {
    private static final Logger LOG = LoggerFactory.getLogger(LiveReport.class);
    private final Path runDir;
    private volatile boolean written;

    /** A listener for the search that writes {@code runDir}. */
    public LiveReport(Path runDir) {
        this.runDir = runDir;
    }

    @Override
    public void generationFinished(GenerationSummary summary) {
        try {
            ReportWriter.writeLive(runDir);
            written = true;
        } catch (RuntimeException e) {
            LOG.warn(
                    "{}: report.html not updated after generation {}: {}",
                    runDir,
                    summary.generation(),
                    e.getMessage());
        }
    }

    /**
     * The search ended without its final report (an error): if this listener wrote a live report,
     * rewrite it as a finished one, so that it stops reloading. Never throws.
     */
    public void stopped() {
        if (!written) {
            return;
        }
        try {
            ReportWriter.write(runDir);
        } catch (RuntimeException e) {
            LOG.warn(
                    "{}: report.html still reloads itself; `qtune report {}` rewrites it: {}",
                    runDir,
                    runDir,
                    e.getMessage());
        }
    }
}
