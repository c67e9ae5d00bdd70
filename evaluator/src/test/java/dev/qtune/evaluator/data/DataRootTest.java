package dev.qtune.evaluator.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataRootTest {
    @TempDir
    Path tmp;

    @Test
    void walksUpToFirstAncestorWithDataMnist() throws IOException {
        Files.createDirectories(tmp.resolve("data/mnist"));
        Path deep = Files.createDirectories(tmp.resolve("a/b/c"));
        assertEquals(tmp.resolve("data"), DataRoot.locate(null, null, deep));
    }

    @Test
    void propertyWinsOverEnvironment() throws IOException {
        Path p = Files.createDirectories(tmp.resolve("p"));
        Path e = Files.createDirectories(tmp.resolve("e"));
        assertEquals(p, DataRoot.locate(p.toString(), e.toString(), tmp));
        assertEquals(e, DataRoot.locate(null, e.toString(), tmp));
    }

    @Test
    void notFoundSaysHowToSetIt() {
        DatasetException e = assertThrows(DatasetException.class, () -> DataRoot.locate(null, null, tmp));
        assertTrue(e.getMessage().contains("-Dqtune.data.dir=DIR or QTUNE_DATA=DIR"), e.getMessage());
        DatasetException e2 = assertThrows(
                DatasetException.class, () -> DataRoot.locate(tmp.resolve("x").toString(), null, tmp));
        assertTrue(
                e2.getMessage()
                        .contains("system property qtune.data.dir: expected a directory, found none at "
                                + tmp.resolve("x")),
                e2.getMessage());
    }

    @Test
    void findsRepositoryDataFromModuleDirectory() {
        assertTrue(Files.isDirectory(DataRoot.locate().resolve("fashion-mnist")));
    }
}
