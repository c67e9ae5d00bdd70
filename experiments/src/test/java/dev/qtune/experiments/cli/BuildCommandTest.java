package dev.qtune.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qtune.compiler.lower.ScheduleConfig;
import dev.qtune.compiler.quant.QuantConfigFile;
import dev.qtune.compiler.quant.QuantConfigReader;
import dev.qtune.evaluator.calibration.CalibrationCache;
import dev.qtune.evaluator.data.Dataset;
import dev.qtune.evaluator.data.Datasets;
import dev.qtune.evaluator.nativecode.NativeEvaluation;
import dev.qtune.evaluator.nativecode.NativeRun;
import dev.qtune.evaluator.quant.QuantEvaluation;
import dev.qtune.targets.LibraryBuild;
import dev.qtune.targets.Target;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * `qtune build`: the library of a real model, compiled by gcc outside qtune against both the static
 * and the shared library, predicts on real test images exactly what qtune's own native evaluation
 * (`eval --target`) predicts; a search's best/*.yaml builds with its schedule; bad configs are one line.
 */
class BuildCommandTest {
    private static final String RESNET8 = "../models/resnet8_fashion.onnx";
    private static final String MLP = "../models/mlp_mnist.onnx";
    private static final String INT8_KL = "../experiments/qconfigs/int8_kl.yaml";
    private static final int IMAGES = 300;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The run's shared cache (qtune.cache.dir, set by surefire): the calibration and native builds of
     * resnet8 int8_kl that other tests made are reused; nothing here tests the cache itself.
     */
    @TempDir
    Path dir;

    static Target hostTarget() {
        return HostTarget.resolve(new CommandLine(new QtuneMain()), "auto");
    }

    @Test
    void libraryPredictsWhatEvalTargetPredictsFromCOutsideQtune() throws Exception {
        Target target = hostTarget();
        Path out = dir.resolve("lib");
        CliRun build = CliRun.of(
                "build",
                INT8_KL,
                "--model",
                RESNET8,
                "--data",
                "fashion-mnist",
                "--out",
                out.toString(),
                "--samples",
                String.valueOf(IMAGES));
        assertEquals(0, build.status(), build.err());
        assertTrue(build.out().startsWith("wrote " + out + ": "), build.out());
        assertTrue(build.out().contains(" for " + target.name() + " "), build.out());
        for (String f : List.of(
                LibraryBuild.STATIC_LIBRARY,
                LibraryBuild.SHARED_LIBRARY,
                LibraryBuild.HEADER,
                LibraryBuild.EXAMPLE,
                LibraryBuild.README,
                LibraryBuild.MANIFEST,
                "model.c",
                "qtune_kernels.h")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f + " in " + out);
        }
        assertFalse(Files.exists(out.resolve(LibraryBuild.RUNNER)), "the runner (with its main) is left out");
        String header = Files.readString(out.resolve(LibraryBuild.HEADER));
        assertTrue(
                header.contains("#define QTUNE_MODEL_INPUT_SIZE 784")
                        && header.contains("[1, 1, 28, 28]")
                        && header.contains("NOT REENTRANT"),
                header);

        Dataset test = Datasets.load("fashion-mnist", "test");
        Path images = dir.resolve("images.f32");
        Files.write(images, littleEndian(test.batch(0, IMAGES)));
        assertArrayEquals(
                Files.readAllBytes(images),
                Files.readAllBytes(out.resolve("samples.f32")),
                "--samples writes the same images");

        int[] expected = nativeEvalPredictions(target, test);
        Path staticExe = gcc(
                out, "example-static", out.resolve(LibraryBuild.STATIC_LIBRARY).toString(), "-fopenmp", "-lm");
        Path sharedExe = gcc(out, "example-shared", "-L" + out, "-lqtune_model", "-Wl,-rpath," + out, "-lm");
        assertArrayEquals(expected, run(staticExe, images), "static library against qtune's native eval");
        assertArrayEquals(expected, run(sharedExe, images), "shared library against qtune's native eval");
        assertArrayEquals(expected, run(sharedExe, images, "2"), "shared library on 2 threads");

        CliRun eval = CliRun.of(
                "eval",
                RESNET8,
                "--data",
                "fashion-mnist",
                "--qconfig",
                INT8_KL,
                "--target",
                target.name(),
                "--limit",
                String.valueOf(IMAGES),
                "--json");
        assertEquals(0, eval.status(), eval.err());
        int correct = 0;
        for (int i = 0; i < IMAGES; i++) {
            correct += expected[i] == test.label(i) ? 1 : 0;
        }
        assertEquals(
                correct, JSON.readTree(eval.out()).get("correct").asInt(), "eval --target's count of correct images");
        assertTrue(correct > 0.85 * IMAGES, "int8 resnet8 top-1 on " + IMAGES + " images: " + correct);

        // The second build is of the small MLP: replacing a folder does not depend on the model, and
        // a second resnet8 library (its gcc runs) took a third of this test's time.
        CliRun again = CliRun.of("build", INT8_KL, "--model", MLP, "--data", "mnist", "--out", out.toString());
        assertEquals(0, again.status(), "a second build replaces the first: " + again.err());
        assertFalse(Files.exists(out.resolve("samples.f32")), "the earlier build's files are gone");
    }

    @Test
    void searchBestConfigBuildsWithItsScheduleAndTarget() throws Exception {
        Path exp = dir.resolve("exp.yaml");
        Files.writeString(
                exp,
                String.join(
                        "\n",
                        "name: build-test",
                        "model: "
                                + Path.of("../models/mlp_mnist.onnx")
                                        .toAbsolutePath()
                                        .normalize(),
                        "dataset: {name: mnist, calibration_samples: 200, validation_samples: 200}",
                        "target: auto",
                        "space:",
                        "  weight_bits: [8, 6]",
                        "  activation_bits: [8]",
                        "  calibration: [max, kl]",
                        "  schedule: true",
                        "strategy: {name: random, batch_size: 3}",
                        "budget: {trials: 3}",
                        "measure: {bench_seconds: 0.05, final_bench_seconds: 0.05, final_samples: 100, final_max: 1}",
                        "executor: {type: local, workers: 1}",
                        "seed: 3",
                        ""));
        Path run = dir.resolve("run");
        CliRun search = CliRun.of("search", exp.toString(), "--out", run.toString());
        assertEquals(0, search.status(), search.err());
        JsonNode front =
                JSON.readTree(run.resolve("pareto.json").toFile()).get("front").get(0);
        Path best = run.resolve(front.get("qconfig").asText());
        QuantConfigFile file = QuantConfigReader.readFile(best);
        Target target = hostTarget();
        assertEquals(Optional.of(target.name()), file.scheduleTarget(), Files.readString(best));
        JsonNode record = null;
        for (String line : Files.readAllLines(run.resolve("trials.jsonl"))) {
            JsonNode r = JSON.readTree(line);
            if (r.get("id").asText().equals(front.get("id").asText())) {
                record = r;
            }
        }
        assertEquals(
                JSON.valueToTree(file.schedule().layers()),
                record.get("schedule"),
                "best/*.yaml holds the schedule the trial's module was built with");

        Path out = dir.resolve("lib");
        CliRun build = CliRun.of("build", best.toString(), "--out", out.toString());
        assertEquals(0, build.status(), build.err());
        assertTrue(
                build.out().contains("schedule of " + file.schedule().layers().size() + " layers from the config"),
                build.out());
        Dataset test = Datasets.load("mnist", "test");
        Path images = dir.resolve("images.f32");
        Files.write(images, littleEndian(test.batch(0, 200)));
        var q = QuantEvaluation.quantize(
                Path.of("../models/mlp_mnist.onnx"),
                ModelLoader.forExecution(Path.of("../models/mlp_mnist.onnx")),
                file.config(),
                Datasets.load("mnist", "calibration"),
                2,
                CalibrationCache.defaultDir());
        NativeRun expected = NativeEvaluation.run(
                q.model().realized(),
                target,
                file.schedule(),
                test,
                200,
                1,
                Optional.empty(),
                CalibrationCache.defaultDir());
        assertEquals(file.schedule().layers(), expected.module().schedule().layers(), "the file's schedule, as given");
        Path exe = gcc(out, "example", out.resolve(LibraryBuild.STATIC_LIBRARY).toString(), "-fopenmp", "-lm");
        assertArrayEquals(expected.accuracy().predictions(), run(exe, images));
    }

    @Test
    void badConfigsAreOneLineNamingTheFileAndKey() throws IOException {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "schedule:\n  layers:\n    /conv/Conv: {oc_blok: 16}\n");
        assertError(
                bad + ": schedule.layers./conv/Conv.oc_blok: unknown key; allowed keys: oc_block, ow_tile, dot",
                "build",
                bad.toString(),
                "--model",
                RESNET8,
                "--data",
                "fashion-mnist",
                "--out",
                dir.resolve("o").toString());
        Files.writeString(bad, "schedule:\n  target: z80\n");
        assertError(
                bad + ": schedule.target: unknown target 'z80'; known targets: ",
                "build",
                bad.toString(),
                "--model",
                RESNET8,
                "--data",
                "fashion-mnist",
                "--out",
                dir.resolve("o").toString());
        Files.writeString(bad, "schedule:\n  target: generic-c\n");
        assertError(
                bad + ": schedule.target: the schedule was found for generic-c and applies only there, but the "
                        + "target is x86-avx2",
                "build",
                bad.toString(),
                "--model",
                RESNET8,
                "--data",
                "fashion-mnist",
                "--target",
                "x86-avx2",
                "--out",
                dir.resolve("o").toString());
        Files.writeString(bad, "schedule:\n  layers:\n    /no/such/Conv: {oc_block: 16}\n");
        assertError(
                bad + ": schedule.layers./no/such/Conv: not a layer of the generated module; its layers are: ",
                "build",
                bad.toString(),
                "--model",
                RESNET8,
                "--data",
                "fashion-mnist",
                "--out",
                dir.resolve("o").toString());
        Files.writeString(bad, "schedule:\n  layers:\n    /layer1/conv1/Conv: {oc_block: 5}\n");
        assertError(
                bad + ": schedule.layers: schedule for layer '/layer1/conv1/Conv': knob oc_block must be one of ",
                "build",
                bad.toString(),
                "--model",
                RESNET8,
                "--data",
                "fashion-mnist",
                "--out",
                dir.resolve("o").toString());
        assertError(
                bad + ": schedule.layers: schedule for layer '/layer1/conv1/Conv': knob oc_block must be one of ",
                "eval",
                RESNET8,
                "--data",
                "fashion-mnist",
                "--qconfig",
                bad.toString(),
                "--target",
                hostTarget().name(),
                "--limit",
                "10");

        CliRun noModel = CliRun.of("build", INT8_KL, "--out", dir.resolve("o").toString());
        assertEquals(2, noModel.status(), noModel.err());
        assertTrue(
                noModel.err()
                        .startsWith("qtune: " + INT8_KL + " is not in a run directory's best/ folder "
                                + "(no ../experiment.yaml beside it): give --model and --data"),
                noModel.err());

        Path full = Files.createDirectories(dir.resolve("full"));
        Files.writeString(full.resolve("mine.txt"), "a user's file");
        assertError(
                full + ": the output folder must be new, empty or one that qtune build wrote (with qtune_build.txt), "
                        + "but it holds mine.txt that qtune build did not write",
                "build",
                INT8_KL,
                "--model",
                RESNET8,
                "--data",
                "fashion-mnist",
                "--out",
                full.toString());
        assertTrue(Files.exists(full.resolve("mine.txt")));
    }

    @Test
    void helpShowsTheUsage() {
        CliRun help = CliRun.of("build", "--help");
        assertEquals(0, help.status(), help.err());
        assertTrue(
                help.out().startsWith("Usage: qtune build [")
                        && help.out().contains("--out=DIR")
                        && help.out().contains("CONFIG"),
                help.out());
    }

    private static void assertError(String start, String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(1, r.status(), String.join(" ", args) + ": " + r.err());
        List<String> lines = r.errLines().stream()
                .filter(l -> !l.startsWith("qtune: calibration"))
                .toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("qtune: error: " + start), lines.get(0));
    }

    /** qtune's own native predictions (what `eval --qconfig --target` computes) on the first IMAGES test images. */
    private static int[] nativeEvalPredictions(Target target, Dataset test) {
        Path model = Path.of(RESNET8);
        var q = QuantEvaluation.quantize(
                model,
                ModelLoader.forExecution(model),
                QuantConfigReader.read(Path.of(INT8_KL)),
                Datasets.load("fashion-mnist", "calibration"),
                2,
                CalibrationCache.defaultDir());
        return NativeEvaluation.run(
                        q.model().realized(),
                        target,
                        ScheduleConfig.EMPTY,
                        test,
                        IMAGES,
                        1,
                        Optional.empty(),
                        CalibrationCache.defaultDir())
                .accuracy()
                .predictions();
    }

    static byte[] littleEndian(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    /** Compiles example.c with the system gcc, as a user would: cc -O2 example.c -I DIR LINK... -o EXE. */
    private Path gcc(Path lib, String name, String... link) throws Exception {
        Path exe = dir.resolve(name);
        List<String> cmd = new ArrayList<>(List.of(
                "gcc",
                "-O2",
                "-Wall",
                "-Wextra",
                "-Werror",
                lib.resolve(LibraryBuild.EXAMPLE).toString(),
                "-I",
                lib.toString()));
        cmd.addAll(List.of(link));
        cmd.addAll(List.of("-o", exe.toString()));
        String output = exec(cmd);
        assertTrue(Files.isExecutable(exe), String.join(" ", cmd) + ": " + output);
        return exe;
    }

    /** The classes the example prints ("INDEX CLASS" per line). */
    private static int[] run(Path exe, Path images, String... threads) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(exe.toString(), images.toString()));
        cmd.addAll(List.of(threads));
        List<String> lines = exec(cmd).lines().toList();
        int[] classes = new int[lines.size()];
        for (int i = 0; i < classes.length; i++) {
            String[] f = lines.get(i).split(" ");
            assertEquals(String.valueOf(i), f[0], lines.get(i));
            classes[i] = Integer.parseInt(f[1]);
        }
        return classes;
    }

    private static String exec(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd) + " timed out");
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + text);
        return text;
    }
}
