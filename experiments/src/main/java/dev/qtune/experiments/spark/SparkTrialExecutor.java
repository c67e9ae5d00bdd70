package dev.qtune.experiments.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qtune.compiler.QtuneException;
import dev.qtune.experiments.run.TrialRecords;
import dev.qtune.experiments.run.TrialWorkspace;
import dev.qtune.search.exec.TrialExecutor;
import dev.qtune.search.trial.TrialKind;
import dev.qtune.search.trial.TrialResult;
import dev.qtune.search.trial.TrialSpec;
import java.io.IOException;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.spark.SimpleFutureAction;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction0;
import scala.runtime.AbstractFunction1;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * Trials on Spark: each batch is one Spark job with one task per trial (a final re-measure: one
 * task for the whole batch, so the front is timed on one host). Results come back to the driver as
 * each task ends, so the run log grows trial by trial. A task that Spark re-runs (its executor was
 * lost) reports once: the driver takes each trial id's first result only. A trial's own failure is
 * a FAILED result from the evaluator; a job that fails as a whole (Spark gave up on a task) makes
 * FAILED results for the trials it had not returned, with Spark's reason, so none is lost.
 */
public final class SparkTrialExecutor implements TrialExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(SparkTrialExecutor.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JavaSparkContext spark;
    private final boolean ownsContext;
    private final TrialEnvironment env;
    private final TrialWorkspace driver;
    private final String pool;

    /**
     * An executor on {@code spark}; {@code ownsContext}: stop it on close. The driver's workspace
     * serves tasks that run in the driver's JVM (local masters).
     */
    public SparkTrialExecutor(
            JavaSparkContext spark, boolean ownsContext, TrialEnvironment env, TrialWorkspace driver) {
        this(spark, ownsContext, env, driver, null);
    }

    private SparkTrialExecutor(
            JavaSparkContext spark, boolean ownsContext, TrialEnvironment env, TrialWorkspace driver, String pool) {
        this.spark = spark;
        this.ownsContext = ownsContext;
        this.env = env;
        this.driver = driver;
        this.pool = pool;
        SparkWorker.register(env, driver);
    }

    /**
     * An executor for one of several searches sharing {@code spark} (a sweep): its jobs go to the
     * fair-scheduler pool {@code pool}, so concurrent searches share the task slots; close leaves the
     * context running.
     */
    public static SparkTrialExecutor shared(JavaSparkContext spark, String pool, TrialWorkspace ws) {
        return new SparkTrialExecutor(spark, false, TrialEnvironment.of(ws), ws, pool);
    }

    /**
     * Starts Spark for one search and returns an executor that stops it on close. The master is
     * {@code master} when given, else the one spark-submit set (spark.master), else {@code fallback}.
     */
    public static SparkTrialExecutor start(String master, String fallback, String appName, TrialWorkspace ws) {
        JavaSparkContext spark = context(master, fallback, appName);
        return new SparkTrialExecutor(spark, true, TrialEnvironment.of(ws), ws);
    }

    /** A Spark context for qtune: no console progress bar (ours draws one), no web UI unless asked. */
    public static JavaSparkContext context(String master, String fallback, String appName) {
        SparkConf conf = new SparkConf().setAppName(appName);
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster(fallback);
        }
        checkReachable(conf.get("spark.master"));
        if (conf.get("spark.master").startsWith("local")) {
            // Everything is in this JVM: never depend on the host name resolving.
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        conf.setIfMissing("spark.ui.enabled", "false");
        conf.setIfMissing("spark.speculation", "false");
        // concurrent searches (a sweep) each get a pool; the pools share the task slots fairly
        conf.setIfMissing("spark.scheduler.mode", "FAIR");
        return new JavaSparkContext(conf);
    }

    /** Seconds a standalone master gets to accept a connection before the search gives up. */
    static final int CONNECT_SECONDS = 10;

    /**
     * A standalone master ({@code spark://HOST:PORT[,HOST:PORT...]}) must accept a TCP connection
     * within {@value #CONNECT_SECONDS} s: Spark itself retries for about a minute and then fails
     * with a long trace. Other masters (local, yarn, k8s) are left to Spark.
     */
    static void checkReachable(String master) {
        if (!master.startsWith("spark://")) {
            return;
        }
        String last = "";
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            int colon = hostPort.lastIndexOf(':');
            String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            int port;
            try {
                port = colon < 0 ? 7077 : Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new QtuneException("Spark master " + master + ": port must be a number, but was '"
                        + hostPort.substring(colon + 1) + "'");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), CONNECT_SECONDS * 1000);
                return;
            } catch (IOException e) {
                last = host + ":" + port + " (" + e.getMessage() + ")";
            }
        }
        throw new QtuneException(
                "Spark master " + master + " is not reachable within " + CONNECT_SECONDS + " s: " + last);
    }

    @Override
    public void run(List<TrialSpec> batch, Consumer<TrialResult> onResult) {
        if (batch.isEmpty()) {
            return;
        }
        Map<String, TrialSpec> pending = new LinkedHashMap<>();
        List<WireSpec> wire = new ArrayList<>();
        for (TrialSpec s : batch) {
            pending.put(s.id(), s);
            wire.add(WireSpec.of(s));
        }
        BlockingQueue<WireResult> arrived = new LinkedBlockingQueue<>();
        SimpleFutureAction<BoxedUnit> job = submit(batch, wire, arrived);
        collect(pending, arrived, job, onResult);
        if (!pending.isEmpty()) {
            String reason = jobFailure(job);
            for (TrialSpec s : pending.values()) {
                onResult.accept(TrialResult.failed(
                        s, "spark: " + reason, driver.evaluator().provenance()));
            }
        }
    }

    /** Submits the batch as one job (the final re-measures in one task: they are timed side by side). */
    private SimpleFutureAction<BoxedUnit> submit(
            List<TrialSpec> batch, List<WireSpec> wire, BlockingQueue<WireResult> arrived) {
        boolean finals = batch.stream().allMatch(s -> s.kind() == TrialKind.FINAL);
        int tasks = finals ? 1 : batch.size();
        JavaRDD<WireSpec> rdd = spark.parallelize(wire, tasks);
        List<Object> partitions = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            partitions.add(i);
        }
        spark.setLocalProperty("spark.scheduler.pool", pool);
        spark.setJobDescription("qtune " + (finals ? "final re-measure " : "trials ")
                + batch.get(0).id() + ".." + batch.get(batch.size() - 1).id());
        return spark.sc()
                .submitJob(
                        rdd.rdd(),
                        new RunTrials(env),
                        CollectionConverters.asScala(partitions).toSeq(),
                        new Deliver(arrived),
                        new Nothing());
    }

    /** Passes each result on as it arrives, until every trial has one or the job has ended. */
    private void collect(
            Map<String, TrialSpec> pending,
            BlockingQueue<WireResult> arrived,
            SimpleFutureAction<BoxedUnit> job,
            Consumer<TrialResult> onResult) {
        while (!pending.isEmpty()) {
            WireResult w;
            try {
                w = arrived.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                job.cancel();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while Spark ran trials", e);
            }
            if (w != null) {
                TrialSpec s = pending.remove(w.id());
                if (s == null) {
                    LOG.warn(
                            "trial {}: a second result from Spark ignored (results are idempotent by trial id)",
                            w.id());
                } else {
                    onResult.accept(rejoin(s, w));
                }
            } else if (job.isCompleted() && arrived.isEmpty()) {
                break;
            }
        }
    }

    private TrialResult rejoin(TrialSpec s, WireResult w) {
        if (w.record() == null) {
            return TrialResult.failed(
                    s, "executor: " + w.error(), driver.evaluator().provenance());
        }
        try {
            return TrialRecords.resultOf(JSON.readTree(w.record()), s);
        } catch (JsonProcessingException | RuntimeException e) {
            return TrialResult.failed(
                    s,
                    "executor: unreadable result record: " + e.getMessage(),
                    driver.evaluator().provenance());
        }
    }

    private static String jobFailure(SimpleFutureAction<BoxedUnit> job) {
        try {
            job.get();
            return "the job ended without this trial's result";
        } catch (Exception e) {
            return "job failed: " + (e.getMessage() != null ? e.getMessage() : String.valueOf(e.getCause()));
        }
    }

    @Override
    public int parallelism() {
        return spark.defaultParallelism();
    }

    @Override
    public String describe() {
        return "spark " + spark.master() + " (" + spark.defaultParallelism() + " task slots)";
    }

    @Override
    public void close() {
        SparkWorker.unregister(env);
        if (ownsContext) {
            spark.stop();
        }
    }

    /** The task: runs its trials one after another on the executor. */
    private static final class RunTrials extends AbstractFunction1<Iterator<WireSpec>, ArrayList<WireResult>>
            implements Serializable {
        private static final long serialVersionUID = 1L;
        private final TrialEnvironment env;

        RunTrials(TrialEnvironment env) {
            this.env = env;
        }

        @Override
        public ArrayList<WireResult> apply(Iterator<WireSpec> specs) {
            ArrayList<WireResult> out = new ArrayList<>();
            while (specs.hasNext()) {
                out.add(SparkWorker.run(env, specs.next()));
            }
            return out;
        }
    }

    /** On the driver, as each task ends (Spark calls it once per partition, never concurrently). */
    private static final class Deliver extends AbstractFunction2<Object, ArrayList<WireResult>, BoxedUnit> {
        private final BlockingQueue<WireResult> arrived;

        Deliver(BlockingQueue<WireResult> arrived) {
            this.arrived = arrived;
        }

        @Override
        public BoxedUnit apply(Object partition, ArrayList<WireResult> results) {
            arrived.addAll(results);
            return BoxedUnit.UNIT;
        }
    }

    private static final class Nothing extends AbstractFunction0<BoxedUnit> {
        @Override
        public BoxedUnit apply() {
            return BoxedUnit.UNIT;
        }
    }
}
