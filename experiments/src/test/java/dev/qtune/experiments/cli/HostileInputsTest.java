package dev.qtune.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.quant.LayerPattern;
import dev.qtune.compiler.quant.QuantConfigException;
import dev.qtune.compiler.quant.QuantConfigReader;
import dev.qtune.experiments.testing.TinyExperiment;
import dev.qtune.search.space.SpaceSpec;
import dev.qtune.targets.CacheDir;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17, as a careless user or a hostile input would try it: each case exits 1 with one line, and fast. */
@Tag("reliability")
class HostileInputsTest {
    private static final String MLP = "../models/mlp_mnist.onnx";

    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return assertTimeoutPreemptively(Duration.ofSeconds(30), () -> CliRun.of(args));
    }

    private static void assertOneLineError(CliRun r, String... fragments) {
        assertEquals(1, r.status(), "exit status; stderr: " + r.err());
        assertEquals(1, r.errLines().size(), "one line on stderr, but got: " + r.err());
        assertTrue(r.err().startsWith("qtune: error: "), r.err());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "stderr should mention '" + f + "': " + r.err());
        }
    }

    @Test
    void inspectOfADeviceIsRefusedAtOnce() {
        assumeTrue(Files.exists(Path.of("/dev/zero")));
        assertOneLineError(run("inspect", "/dev/zero"), "/dev/zero", "regular file");
    }

    @Test
    void aNonYamlFileIsNeverEchoedWhole() throws IOException {
        StringBuilder passwd = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            passwd.append("user")
                    .append(i)
                    .append(":x:")
                    .append(1000 + i)
                    .append(":100::/home/user")
                    .append(i)
                    .append(":/bin/bash\n");
        }
        Path f = Files.writeString(dir.resolve("passwd"), passwd);
        CliRun r = run("search", f.toString());
        assertOneLineError(r, "passwd");
        assertTrue(r.err().length() < 400, "a short excerpt at most: " + r.err());
        assertFalse(r.err().contains("user3:"), r.err());
    }

    @Test
    void aNameThatClimbsOutOfRunsIsRefused() throws IOException {
        Path exp = Files.writeString(
                dir.resolve("e.yaml"),
                "name: ../../../..\nmodel: " + Path.of(MLP).toAbsolutePath()
                        + "\ndataset: {name: mnist}\nbudget: {trials: 2}\n");
        assertOneLineError(run("search", exp.toString()), "e.yaml", "name", "'../../../..'", "plain folder name");
    }

    @Test
    void calibrationSamplesOutOfRangeAreRefusedNotClamped() {
        QuantConfigException e = assertThrows(
                QuantConfigException.class,
                () -> QuantConfigReader.parse("calibration_samples: 2000000000\n", "q.yaml"));
        assertEquals("q.yaml: calibration_samples: must be in 1..1000000, but was 2000000000", e.getMessage());
    }

    @Test
    void aFixedPatternThatMatchesNoLayerIsAnError() {
        SpaceSpec spec = new SpaceSpec(
                Map.of(), true, List.of(new SpaceSpec.Fixed(LayerPattern.parse("conv9*"), Map.of("weight_bits", "8"))));
        QtuneException e = assertThrows(QtuneException.class, () -> spec.checkPatterns(List.of("fc1", "fc2")));
        assertEquals(
                "space.fixed[0].match: pattern 'conv9*' matches no quantizable layer; layers are: fc1, fc2",
                e.getMessage());
    }

    @Test
    void anUnusableCacheIsOneLineWithTheReason() throws IOException {
        Path file = Files.writeString(dir.resolve("plain"), "");
        QtuneException e = assertThrows(QtuneException.class, () -> CacheDir.requireWritable(file.resolve("cache")));
        assertTrue(
                e.getMessage().startsWith("cannot create the cache folder " + file.resolve("cache") + ": "),
                e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    /** A standalone master nobody listens on: one line within seconds, not Spark's minute of retries and its trace. */
    @Test
    void anUnreachableMasterIsOneLineWithinTenSeconds() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path exp = TinyExperiment.write(dir, "master-test", 2, 2, 0, 1);
        long start = System.nanoTime();
        CliRun r = run(
                "search",
                exp.toString(),
                "--out",
                dir.resolve("run").toString(),
                "--master",
                "spark://127.0.0.1:" + port);
        assertEquals(1, r.status(), r.err());
        List<String> lines = r.errLines();
        assertEquals(2, lines.size(), "the search's header, then one error line: " + r.err());
        assertTrue(
                lines.get(1).startsWith("qtune: error: Spark master spark://127.0.0.1:" + port + " is not reachable"),
                r.err());
        assertTrue((System.nanoTime() - start) / 1e9 < 30, "refused quickly");
    }
}
