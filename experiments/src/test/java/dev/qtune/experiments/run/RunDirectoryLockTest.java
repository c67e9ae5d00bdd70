package dev.qtune.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qtune.compiler.QtuneException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17: a run directory belongs to one search at a time; leftovers of a killed one are cleaned. */
@Tag("reliability")
class RunDirectoryLockTest {
    @TempDir
    Path tmp;

    private Path experiment() throws Exception {
        return Files.writeString(tmp.resolve("exp.yaml"), "name: x\n");
    }

    @Test
    void aResumeWhileTheSearchRunsIsRefusedNamingItsPid() throws Exception {
        Path run = tmp.resolve("run");
        try (RunDirectory first = RunDirectory.open(run, experiment(), false, new ArrayList<>())) {
            QtuneException e = assertThrows(
                    QtuneException.class, () -> RunDirectory.open(run, experiment(), true, new ArrayList<>()));
            assertEquals(
                    "run directory " + run + " is in use by process "
                            + ProcessHandle.current().pid(),
                    e.getMessage());
        }
        List<ObjectNode> previous = new ArrayList<>();
        try (RunDirectory again = RunDirectory.open(run, experiment(), true, previous)) {
            assertTrue(previous.isEmpty());
        }
    }

    @Test
    void aSearchInAnotherProcessHoldsTheDirectory() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("busy"));
        List<String> probe = List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                RunLockProbe.class.getName(),
                run.toString());
        Process p = new ProcessBuilder(probe)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            assertEquals("held", new BufferedReader(new InputStreamReader(p.getInputStream())).readLine());
            QtuneException e = assertThrows(
                    QtuneException.class, () -> RunDirectory.open(run, experiment(), true, new ArrayList<>()));
            assertEquals("run directory " + run + " is in use by process " + p.pid(), e.getMessage());
            assertFalse(Files.exists(run.resolve(RunDirectory.TRIALS)), "nothing written beside the running search");
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        RunDirectory.open(run, experiment(), true, new ArrayList<>()).close();
    }

    @Test
    void temporaryFilesOfAKilledSearchAreRemovedOnStart() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("killed").resolve(RunDirectory.BEST));
        Path pareto = Files.writeString(run.getParent().resolve(".pareto.json.4242.tmp"), "{");
        Path report = Files.writeString(run.getParent().resolve(".report.html.4242.tmp"), "<");
        Path best = Files.writeString(run.resolve(".front-0.yaml.4242.tmp"), "x");
        Path kept = Files.writeString(run.getParent().resolve("notes.tmp"), "mine");
        RunDirectory.open(run.getParent(), experiment(), false, new ArrayList<>())
                .close();
        assertFalse(Files.exists(pareto) || Files.exists(report) || Files.exists(best));
        assertTrue(Files.exists(kept), "only qtune's own .NAME.PID.tmp files are removed");
    }

    @Test
    void anOutFolderThatCannotBeCreatedIsOneLineWithTheReason() throws Exception {
        Path file = Files.writeString(tmp.resolve("plain-file"), "");
        QtuneException e = assertThrows(
                QtuneException.class,
                () -> RunDirectory.open(file.resolve("run"), experiment(), false, new ArrayList<>()));
        assertTrue(
                e.getMessage().startsWith("cannot create run directory " + file.resolve("run") + ": "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}
