package dev.qtune.experiments.cli;

import dev.qtune.evaluator.accuracy.ProgressListener;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * A progress bar on stderr that appears only once a run has lasted a couple of seconds, and only
 * when stderr is a terminal (the launcher sets -Dqtune.progress=true then), so pipes and CI logs
 * stay clean.
 */
final class ConsoleProgress implements ProgressListener, AutoCloseable {
    private static final long DELAY_NANOS = 2_000_000_000L;

    private final String task;
    private final boolean enabled = Boolean.getBoolean("qtune.progress");
    private final long start = System.nanoTime();
    private ProgressBar bar;

    ConsoleProgress(String task) {
        this.task = task;
    }

    @Override
    public synchronized void progress(int done, int total) {
        if (!enabled) {
            return;
        }
        if (bar == null && System.nanoTime() - start > DELAY_NANOS && done < total) {
            bar = new ProgressBarBuilder()
                    .setTaskName(task)
                    .setInitialMax(total)
                    .setUnit(" img", 1)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .setUpdateIntervalMillis(250)
                    .showSpeed()
                    .build();
        }
        if (bar != null) {
            bar.stepTo(done);
        }
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
