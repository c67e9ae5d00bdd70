package dev.qtune.compiler.interp;

import dev.qtune.compiler.QtuneException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs tasks on a pool of daemon threads and waits for them all: calibration's workers, the
 * accuracy evaluators' batches. A task's runtime exception is rethrown as it is; any other failure,
 * and an interruption, becomes a {@link QtuneException} saying what was running.
 */
public final class ParallelRuns {
    private ParallelRuns() {}

    /** One batch of samples: {@code [first, first + n)}. */
    @FunctionalInterface
    public interface BatchTask<T> {
        T run(int first, int n);
    }

    /** One batch of samples whose work has no result. */
    @FunctionalInterface
    public interface BatchAction {
        void run(int first, int n);
    }

    /**
     * Runs {@code task} on each batch of {@code batch} samples (the last may be shorter) of
     * {@code samples}, on {@code threads} threads named {@code name}; the results in batch order.
     *
     * @param what what runs, for errors ("evaluation": "evaluation interrupted")
     */
    public static <T> List<T> batches(
            String name, int threads, int samples, int batch, String what, BatchTask<T> task) {
        List<Callable<T>> tasks = new ArrayList<>();
        for (int s = 0; s < samples; s += batch) {
            int first = s;
            int n = Math.min(batch, samples - s);
            tasks.add(() -> task.run(first, n));
        }
        return all(name, threads, what, tasks);
    }

    /** As {@link #batches}, for work without a result. */
    public static void forEachBatch(String name, int threads, int samples, int batch, String what, BatchAction task) {
        batches(name, threads, samples, batch, what, (first, n) -> {
            task.run(first, n);
            return null;
        });
    }

    /** Runs the tasks on {@code threads} threads named {@code name}; their results in order. */
    public static <T> List<T> all(String name, int threads, String what, List<Callable<T>> tasks) {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(task));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QtuneException(what + " interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new QtuneException(what + " failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
