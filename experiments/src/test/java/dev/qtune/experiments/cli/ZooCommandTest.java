package dev.qtune.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.onnx.OnnxImporter;
import dev.qtune.compiler.zoo.ModelZoo;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `qtune zoo`: both models written with the given seed, one summary line each. */
class ZooCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesResnet18AndMobilenetv2() {
        Path out = dir.resolve("zoo");
        CliRun r = CliRun.of("zoo", "--out", out.toString(), "--seed", "3");
        assertEquals(0, r.status(), r.err());
        assertEquals(2, r.out().lines().count(), r.out());
        assertTrue(r.out().contains("resnet18.onnx: resnet18, seed 3, 11,689,512 parameters, 1.814 GMAC"), r.out());
        assertTrue(
                r.out().contains("mobilenetv2.onnx: mobilenetv2, seed 3, 3,504,872 parameters, 0.301 GMAC"), r.out());
        Graph g = OnnxImporter.load(out.resolve("mobilenetv2.onnx"));
        assertEquals(ModelZoo.MOBILENETV2.build(3).initializers(), g.initializers());
    }

    @Test
    void outIsRequired() {
        CliRun r = CliRun.of("zoo");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--out"), r.err());
    }
}
