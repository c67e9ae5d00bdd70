package dev.qtune.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
    @TempDir
    Path tmp;

    private Path run(String trials) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(dir.resolve("trials.jsonl"), trials);
        return dir;
    }

    @Test
    void writesTheReportAndPrintsItsPath() throws Exception {
        Path dir = run("{\"trial\":0,\"id\":\"t0000\",\"kind\":\"search\",\"generation\":0,\"status\":\"OK\","
                + "\"metrics\":{\"top1\":0.98,\"samples\":100,\"latency_ms\":{\"median\":0.2,\"p10\":0.19,\"p90\":0.25},"
                + "\"size_bytes\":1000,\"feasible\":true}}\n");
        CliRun r = CliRun.of("report", dir.toString());
        assertEquals(0, r.status(), r.err());
        Path report = dir.resolve("report.html").toAbsolutePath().normalize();
        assertEquals(report + "\n", r.out().replace("\r\n", "\n"));
        assertTrue(Files.readString(report).contains("<svg "));
    }

    @Test
    void missingDirectoryIsOneLine() {
        Path dir = tmp.resolve("nope");
        CliRun r = CliRun.of("report", dir.toString());
        assertEquals(1, r.status());
        assertEquals(List.of("qtune: error: run directory not found: " + dir), r.errLines());
    }

    @Test
    void missingTrialLogIsOneLineNamingIt() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        CliRun r = CliRun.of("report", dir.toString());
        assertEquals(1, r.status());
        assertEquals(
                List.of("qtune: error: not a run directory: " + dir.resolve("trials.jsonl") + " not found"),
                r.errLines());
    }

    @Test
    void badJsonIsOneLineNamingFileAndLine() throws Exception {
        Path dir = run("{\"trial\":0}\n{oops}\n{\"trial\":2}\n");
        CliRun r = CliRun.of("report", dir.toString());
        assertEquals(1, r.status());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(
                r.errLines()
                        .get(0)
                        .startsWith("qtune: error: " + dir.resolve("trials.jsonl") + ":2: not a JSON object"),
                r.err());
    }

    @Test
    void missingArgumentIsAUsageError() {
        CliRun r = CliRun.of("report");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("RUN_DIR"), r.err());
    }
}
