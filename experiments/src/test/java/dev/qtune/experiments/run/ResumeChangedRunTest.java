package dev.qtune.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.experiments.cli.QtuneMain;
import dev.qtune.experiments.testing.TinyExperiment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resuming a run whose logged trial decodes to another config than it was run with (the
 * experiment or the model changed since) is a one-line error naming the log line, not an
 * internal error.
 */
class ResumeChangedRunTest {
    @TempDir
    Path tmp;

    @Test
    void aTrialThatDecodesToAnotherConfigIsAOneLineError() throws Exception {
        Path exp = TinyExperiment.write(tmp, "resume-changed", 2, 2, 0, 7, "executor: {type: local, workers: 1}");
        Path run = tmp.resolve("run");
        assertEquals(0, search(exp, run, false).status, "the first run");
        Path log = run.resolve(RunDirectory.TRIALS);
        String text = Files.readString(log);
        Matcher hash = Pattern.compile("\"config_hash\":\"([0-9a-f]+)\"").matcher(text);
        assertTrue(hash.find(), "a logged config hash");
        Files.writeString(
                log, text.replaceFirst(hash.group(1), "0".repeat(hash.group(1).length())));

        Result resumed = search(exp, run, true);
        assertEquals(1, resumed.status);
        String error = resumed.err
                .lines()
                .filter(l -> l.startsWith("qtune: error: "))
                .findFirst()
                .orElse("");
        assertTrue(
                error.contains("trials.jsonl: line 1: trial ") && error.contains("decodes to another config"),
                resumed.err);
        assertTrue(!resumed.err.contains("internal error") && !resumed.err.contains("\tat "), resumed.err);
    }

    private record Result(int status, String err) {}

    private static Result search(Path exp, Path run, boolean resume) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = resume
                ? new String[] {"search", exp.toString(), "--out", run.toString(), "--resume"}
                : new String[] {"search", exp.toString(), "--out", run.toString()};
        int status = QtuneMain.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(status, err.toString());
    }
}
