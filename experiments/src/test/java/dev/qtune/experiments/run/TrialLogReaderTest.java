package dev.qtune.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.QtuneException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrialLogReaderTest {
    private static final String A = "{\"trial\":0,\"id\":\"t0000\",\"kind\":\"baseline\",\"future\":{\"x\":1}}";
    private static final String B = "{\"trial\":1,\"id\":\"t0001\",\"kind\":\"search\",\"status\":\"OK\"}";

    @TempDir
    Path dir;

    private Path log(String text) throws Exception {
        return Files.writeString(dir.resolve("trials.jsonl"), text);
    }

    @Test
    void readsOneObjectPerLineInOrderKeepingUnknownKeys() throws Exception {
        TrialLog log = TrialLogReader.read(log(A + "\n\n" + B + "\n"));
        assertEquals(2, log.records().size());
        assertEquals("t0000", log.records().get(0).get("id").asText());
        assertEquals(1, log.records().get(0).get("future").get("x").asInt());
        assertEquals("t0001", log.records().get(1).get("id").asText());
        assertEquals(0, log.tornLines());
    }

    @Test
    void tornLastLineIsSkippedAndCounted() throws Exception {
        TrialLog log = TrialLogReader.read(log(A + "\n" + B + "\n{\"trial\":2,\"id\":\"t00"));
        assertEquals(2, log.records().size());
        assertEquals(1, log.tornLines());
    }

    @Test
    void completeLastLineWithoutNewlineIsARecord() throws Exception {
        TrialLog log = TrialLogReader.read(log(A + "\n" + B));
        assertEquals(2, log.records().size());
        assertEquals(0, log.tornLines());
    }

    @Test
    void emptyFileHasNoRecords() throws Exception {
        assertEquals(new TrialLog(List.of(), 0), TrialLogReader.read(log("")));
    }

    @Test
    void malformedMiddleLineNamesFileAndLine() throws Exception {
        Path f = log(A + "\n{\"trial\":1,\"id\":\n" + B + "\n");
        QtuneException e = assertThrows(QtuneException.class, () -> TrialLogReader.read(f));
        assertTrue(e.getMessage().startsWith(f + ":2: not a JSON object"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void tornLineGluedToTheNextRecordIsAnError() throws Exception {
        Path f = log(A + "\n{\"trial\":1,\"id\":\"t0" + B + "\n" + B + "\n");
        QtuneException e = assertThrows(QtuneException.class, () -> TrialLogReader.read(f));
        assertTrue(e.getMessage().startsWith(f + ":2:"), e.getMessage());
    }

    @Test
    void twoObjectsOnOneLineAreAnError() throws Exception {
        Path f = log(A + " " + B + "\n" + B + "\n");
        QtuneException e = assertThrows(QtuneException.class, () -> TrialLogReader.read(f));
        assertTrue(e.getMessage().startsWith(f + ":1:"), e.getMessage());
    }

    @Test
    void aLineThatIsNotAnObjectIsAnError() throws Exception {
        Path f = log(A + "\n[1,2]\n" + B + "\n");
        QtuneException e = assertThrows(QtuneException.class, () -> TrialLogReader.read(f));
        assertTrue(
                e.getMessage().startsWith(f + ":2: not a JSON object: expected an object, found ARRAY"),
                e.getMessage());
    }

    @Test
    void missingFileIsAnErrorNamingIt() {
        Path f = dir.resolve("nope/trials.jsonl");
        QtuneException e = assertThrows(QtuneException.class, () -> TrialLogReader.read(f));
        assertEquals("trial log not found: " + f, e.getMessage());
    }

    @Test
    void repairDropsATornTailSoThatAppendingIsSafe() throws Exception {
        Path f = log(A + "\n" + B + "\n{\"trial\":2,\"id\":\"t00");
        assertEquals("{\"trial\":2,\"id\":\"t00".length(), TrialLogReader.repair(f));
        assertEquals(A + "\n" + B + "\n", Files.readString(f));
        Files.writeString(f, B + "\n", StandardOpenOption.APPEND);
        assertEquals(3, TrialLogReader.read(f).records().size());
    }

    @Test
    void repairEndsACompleteUnterminatedLineAndLeavesAGoodLogAlone() throws Exception {
        Path f = log(A + "\n" + B);
        assertEquals(0, TrialLogReader.repair(f));
        assertEquals(A + "\n" + B + "\n", Files.readString(f));
        assertEquals(0, TrialLogReader.repair(f));
        assertEquals(A + "\n" + B + "\n", Files.readString(f));
    }
}
