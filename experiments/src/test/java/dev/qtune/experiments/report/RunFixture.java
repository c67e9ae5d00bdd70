package dev.qtune.experiments.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A fabricated but realistic run directory in the formats of docs/formats.md: one baseline, 30
 * search trials over 5 generations (2 failed), pareto.json with a constraint and a final
 * re-measurement (three front members and the baseline, and fp32 on the same images), progress.csv, best/*.yaml, and a layer whose name is an HTML injection.
 */
final class RunFixture {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String EVIL_LAYER = "<script>alert(1)</script>";
    static final String BASELINE_LABEL = "int8 KL defaults &\"'";
    static final String MODEL = "lenet5 <fp32>.onnx";
    static final List<String> LAYERS = List.of("conv1", EVIL_LAYER, "conv2", "fc1", "fc2", "fc3");
    static final List<String> OPS = List.of("Conv", "Conv", "Conv", "Gemm", "Gemm", "Gemm");
    static final int GENERATIONS = 5;
    static final int PER_GENERATION = 6;
    static final double MIN_TOP1 = 0.97;
    private static final int[] CHOICES = {2, 4, 4, 6, 6, 8, 8, 8, 16, 0};

    private RunFixture() {}

    /** Writes the run into {@code dir} (created) and returns dir. */
    static Path write(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("best"));
        Random rnd = new Random(42);
        List<ObjectNode> records = new ArrayList<>();
        records.add(trial(0, "baseline", 0, new int[] {8, 8, 8, 8, 8, 8}, rnd, null));
        int n = 1;
        for (int g = 0; g < GENERATIONS; g++) {
            for (int i = 0; i < PER_GENERATION; i++, n++) {
                int[] bits = new int[LAYERS.size()];
                for (int l = 0; l < bits.length; l++) {
                    bits[l] = CHOICES[rnd.nextInt(CHOICES.length)];
                }
                if (n == GENERATIONS * PER_GENERATION) {
                    bits = new int[] {0, 16, 8, 16, 8, 16}; // accurate and slow: the front's fp32 end
                }
                String failure = n == 7
                        ? "native build failed: gcc exited with 1: error: <expected ';'>"
                        : n == 23 ? "latency: timed out after 30 s" : null;
                records.add(trial(n, "search", g, bits, rnd, failure));
            }
        }
        List<ObjectNode> front = front(records);
        int t = n;
        for (ObjectNode f : front.subList(0, Math.min(3, front.size()))) {
            records.add(finalOf(t++, f));
        }
        records.add(finalOf(t, records.get(0))); // the baseline's re-measure
        StringBuilder jsonl = new StringBuilder();
        for (ObjectNode r : records) {
            jsonl.append(MAPPER.writeValueAsString(r)).append('\n');
        }
        Files.writeString(dir.resolve("trials.jsonl"), jsonl, StandardCharsets.UTF_8);
        Files.writeString(
                dir.resolve("pareto.json"),
                MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(pareto(records, front)),
                StandardCharsets.UTF_8);
        writeProgress(dir, records);
        for (ObjectNode f : front) {
            Files.writeString(dir.resolve("best/" + f.get("id").asText() + ".yaml"), "# quant config\nlayers: {}\n");
        }
        return dir;
    }

    private static ObjectNode trial(int n, String kind, int gen, int[] bits, Random rnd, String failure) {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("trial", n)
                .put("id", String.format(Locale.ROOT, "t%04d", n))
                .put("kind", kind)
                .put("generation", gen);
        r.put("status", failure == null ? "OK" : "FAILED");
        if (failure != null) {
            r.put("reason", failure);
        }
        r.put("config_hash", Integer.toHexString(n * 7919 + 1234567));
        if (kind.equals("baseline")) {
            r.put("label", BASELINE_LABEL);
        } else {
            ArrayNode genome = r.putArray("genome");
            for (int b : bits) {
                genome.add(b);
            }
        }
        ArrayNode layers = r.putArray("layers");
        double loss = 0;
        double cost = 0;
        for (int l = 0; l < bits.length; l++) {
            int b = bits[l];
            layers.addObject()
                    .put("name", LAYERS.get(l))
                    .put("op", OPS.get(l))
                    .put("weight_bits", b == 0 ? 32 : b)
                    .put("activation_bits", b == 0 ? 32 : Math.max(b, 8))
                    .put("calibration", l % 2 == 0 ? "kl" : "max")
                    .put("granularity", "per_channel")
                    .put("skip", b == 0);
            loss += switch (b) {
                case 0 -> 0;
                case 16 -> 0.0001;
                case 8 -> 0.0008;
                case 6 -> 0.0025;
                case 4 -> 0.006;
                default -> 0.02;
            };
            cost += switch (b) {
                case 0 -> 1.0;
                case 16 -> 0.55;
                case 8 -> 0.3;
                case 6 -> 0.25;
                case 4 -> 0.18;
                default -> 0.12;
            };
        }
        r.putObject("schedule").putObject("conv1").put("tile_oc", 8).put("unroll", 2);
        if (failure == null) {
            ObjectNode m = r.putObject("metrics");
            double top1 = Math.max(0.5, 0.991 - loss + rnd.nextGaussian() * 0.001);
            double lat = 0.05 + 0.08 * cost + rnd.nextDouble() * 0.01;
            m.put("top1", top1).put("samples", 2000);
            m.putObject("latency_ms").put("median", lat).put("p10", lat * 0.95).put("p90", lat * 1.08);
            m.put("size_bytes", (long) (20_000 * cost)).put("feasible", top1 >= MIN_TOP1);
        }
        double total = n == 0 ? 14.2 : 2.0 + rnd.nextDouble();
        r.putObject("times_s")
                .put("calibrate", n == 0 ? 9.0 : 0.1)
                .put("quantize", 0.2)
                .put("compile", total * 0.5)
                .put("accuracy", total * 0.2)
                .put("latency", total * 0.15)
                .put("total", total);
        r.putObject("provenance")
                .put("model_sha256", "9f2c4e1a7b3d5f60a1b2c3d4e5f60718293a4b5c6d7e8f9012345678")
                .put("data_sha256", "ab12")
                .put("target", "x86-avx2")
                .put("compiler", "gcc 12.2.0")
                .put("host", "ci-host <amd64>")
                .put("seed", 42)
                .put("threads", 1);
        r.put("finished", String.format(Locale.ROOT, "2025-01-02T03:%02d:%02dZ", n / 60, n % 60));
        return r;
    }

    private static List<ObjectNode> front(List<ObjectNode> records) {
        List<ObjectNode> ok = records.stream()
                .filter(r -> r.get("kind").asText().equals("search"))
                .filter(r ->
                        r.has("metrics") && r.get("metrics").get("feasible").asBoolean())
                .toList();
        List<ObjectNode> front = new ArrayList<>();
        for (ObjectNode a : ok) {
            boolean dominated = ok.stream()
                    .anyMatch(b ->
                            b != a && top1(b) >= top1(a) && lat(b) <= lat(a) && (top1(b) > top1(a) || lat(b) < lat(a)));
            if (!dominated) {
                front.add(a);
            }
        }
        front.sort(Comparator.comparingDouble(RunFixture::lat));
        return front;
    }

    static double top1(ObjectNode r) {
        return r.get("metrics").get("top1").asDouble();
    }

    static double lat(ObjectNode r) {
        return r.get("metrics").get("latency_ms").get("median").asDouble();
    }

    private static ObjectNode finalOf(int n, ObjectNode of) {
        ObjectNode r = of.deepCopy();
        r.put("trial", n)
                .put("id", String.format(Locale.ROOT, "t%04d", n))
                .put("kind", "final")
                .put("of", of.get("id").asText());
        ObjectNode m = (ObjectNode) r.get("metrics");
        m.put("top1", top1(of) - 0.0012).put("samples", 10000);
        ((ObjectNode) m.get("latency_ms")).put("median", lat(of) * 1.03);
        return r;
    }

    private static ObjectNode pareto(List<ObjectNode> records, List<ObjectNode> front) {
        ObjectNode p = MAPPER.createObjectNode();
        p.put("experiment", "lenet5-avx2 & <friends>")
                .put("model", MODEL)
                .put("target", "x86-avx2")
                .put("generation", GENERATIONS - 1)
                .put("trials", GENERATIONS * PER_GENERATION)
                .put("failures", 2)
                .put("hypervolume", 0.4321);
        p.putObject("reference").put("top1", 0.5).put("latency_ms", 1.0);
        p.putObject("constraint").put("min_top1", MIN_TOP1);
        p.put("fp32_top1", 0.9912);
        p.put("fp32_final_top1", 0.9904).put("final_split", "holdout");
        p.put("some_future_key", "ignored");
        ArrayNode f = p.putArray("front");
        for (ObjectNode r : front) {
            String id = r.get("id").asText();
            f.addObject()
                    .put("id", id)
                    .put("top1", top1(r))
                    .put("latency_ms", lat(r))
                    .put("size_bytes", r.get("metrics").get("size_bytes").asLong())
                    .put("qconfig", "best/" + id + ".yaml");
        }
        ArrayNode fin = p.putArray("final");
        for (ObjectNode r : records) {
            if (r.get("kind").asText().equals("final")) {
                ObjectNode m = (ObjectNode) r.get("metrics");
                fin.addObject()
                        .put("id", r.get("of").asText())
                        .put("top1", m.get("top1").asDouble())
                        .put("samples", m.get("samples").asInt())
                        .set("latency_ms", m.get("latency_ms").deepCopy());
            }
        }
        return p;
    }

    private static void writeProgress(Path dir, List<ObjectNode> records) throws IOException {
        StringBuilder csv =
                new StringBuilder("generation,trials,failures,hypervolume,front_size,best_top1,elapsed_s\n");
        for (int g = 0; g < GENERATIONS; g++) {
            csv.append(String.format(
                    Locale.ROOT,
                    "%d,%d,%d,%.4f,%d,%.4f,%.1f\n",
                    g,
                    (g + 1) * PER_GENERATION,
                    g >= 3 ? 2 : g >= 1 ? 1 : 0,
                    0.30 + 0.03 * g - 0.004 * g * g,
                    2 + g,
                    0.985 + 0.001 * g,
                    30.0 + 25.0 * g));
        }
        Files.writeString(dir.resolve("progress.csv"), csv);
    }
}
