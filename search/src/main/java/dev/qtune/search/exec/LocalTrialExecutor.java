package dev.qtune.search.exec;

import dev.qtune.search.trial.TrialEvaluator;
import dev.qtune.search.trial.TrialResult;
import dev.qtune.search.trial.TrialSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Trials on a pool of threads in this JVM: trials compile and infer in parallel; their latency
 * benchmarks never overlap (the evaluator serialises them).
 */
public final class LocalTrialExecutor implements TrialExecutor {
    private final TrialEvaluator evaluator;
    private final int workers;
    private final ExecutorService pool;

    public LocalTrialExecutor(TrialEvaluator evaluator, int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, but was " + workers);
        }
        this.evaluator = evaluator;
        this.workers = workers;
        this.pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "qtune-trial");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void run(List<TrialSpec> batch, Consumer<TrialResult> onResult) {
        Object sink = new Object();
        List<Future<?>> futures = new ArrayList<>();
        for (TrialSpec spec : batch) {
            futures.add(pool.submit(() -> {
                TrialResult r = evaluator.evaluate(spec);
                synchronized (sink) {
                    onResult.accept(r);
                }
            }));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while trials were running", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a trial worker failed: " + e.getCause(), e.getCause());
            }
        }
    }

    @Override
    public int parallelism() {
        return workers;
    }

    @Override
    public String describe() {
        return "local, " + workers + " worker" + (workers == 1 ? "" : "s");
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
