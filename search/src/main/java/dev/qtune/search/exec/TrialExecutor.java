package dev.qtune.search.exec;

import dev.qtune.search.trial.TrialResult;
import dev.qtune.search.trial.TrialSpec;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs batches of trials somewhere (threads here, a Spark cluster elsewhere). {@code run} returns
 * when every trial of the batch has a result; {@code onResult} is called once per trial as it ends,
 * never concurrently with itself, so a caller can append to a log from it.
 */
public interface TrialExecutor extends AutoCloseable {
    void run(List<TrialSpec> batch, Consumer<TrialResult> onResult);

    /** How many trials run at once. */
    int parallelism();

    /** A short description for logs and the console ("local, 2 workers"). */
    String describe();

    @Override
    void close();
}
