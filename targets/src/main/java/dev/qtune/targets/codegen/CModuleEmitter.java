package dev.qtune.targets.codegen;

import dev.qtune.compiler.ir.AvgPool2dNode;
import dev.qtune.compiler.ir.BinaryNode;
import dev.qtune.compiler.ir.ClipNode;
import dev.qtune.compiler.ir.ConcatNode;
import dev.qtune.compiler.ir.Conv2dNode;
import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.DequantizeNode;
import dev.qtune.compiler.ir.FlattenNode;
import dev.qtune.compiler.ir.GemmNode;
import dev.qtune.compiler.ir.GlobalAvgPoolNode;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.IdentityNode;
import dev.qtune.compiler.ir.MatMulNode;
import dev.qtune.compiler.ir.MaxPool2dNode;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.QAddNode;
import dev.qtune.compiler.ir.QConcatNode;
import dev.qtune.compiler.ir.QConv2dNode;
import dev.qtune.compiler.ir.QDenseNode;
import dev.qtune.compiler.ir.QuantizeNode;
import dev.qtune.compiler.ir.ReluNode;
import dev.qtune.compiler.ir.ReshapeNode;
import dev.qtune.compiler.ir.SoftmaxNode;
import dev.qtune.compiler.ir.ValueInfo;
import dev.qtune.compiler.lower.LoweringException;
import dev.qtune.compiler.lower.MemoryPlan;
import dev.qtune.compiler.lower.ScheduleConfig;
import dev.qtune.targets.LayerObjects;
import dev.qtune.targets.Target;
import dev.qtune.targets.TargetFeatures;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Generates one C module for a realized graph: the memory plan's arena, the constants packed for
 * their kernels, one function per layer calling the kernel library with literal shapes and knob
 * values, and the entry points {@code qt_run} and {@code qt_run_profiled} that the runner calls.
 * Per-op lowering lives in one explicit table; an op without a rule is an error naming it.
 */
public final class CModuleEmitter {
    public static final String MODEL_FILE = "model.c";
    /** The kernel library's files (docs/codegen.md, "The kernel headers") and the runner, copied beside model.c. */
    static final List<String> LIBRARY = List.of(
            "qtune_kernels.h",
            "qtune_common.h",
            "qtune_int_kernels.h",
            "qtune_fp32_kernels.h",
            "qtune_avx2_kernels.h",
            "qtune_vnni_kernels.h",
            "qtune_neon_kernels.h",
            "qtune_runner.c");

    /** Lowers one node: the C statements of its layer function. */
    @FunctionalInterface
    interface OpEmitter {
        String emit(Node node, EmitContext ctx);
    }

    private static final Map<Class<? extends Node>, OpEmitter> RULES = Map.ofEntries(
            Map.entry(QConv2dNode.class, IntConvEmitter::conv),
            Map.entry(QDenseNode.class, IntConvEmitter::dense),
            Map.entry(QAddNode.class, ElementEmitter::qadd),
            Map.entry(QConcatNode.class, ElementEmitter::qconcat),
            Map.entry(QuantizeNode.class, ElementEmitter::quantize),
            Map.entry(DequantizeNode.class, ElementEmitter::dequantize),
            Map.entry(MaxPool2dNode.class, PoolEmitter::maxPool),
            Map.entry(AvgPool2dNode.class, PoolEmitter::avgPool),
            Map.entry(GlobalAvgPoolNode.class, PoolEmitter::globalAvgPool),
            Map.entry(ReluNode.class, ElementEmitter::relu),
            Map.entry(ClipNode.class, ElementEmitter::clip),
            Map.entry(SoftmaxNode.class, ElementEmitter::softmax),
            Map.entry(FlattenNode.class, ElementEmitter::reshapeCopy),
            Map.entry(ReshapeNode.class, ElementEmitter::reshapeCopy),
            Map.entry(IdentityNode.class, ElementEmitter::reshapeCopy),
            Map.entry(BinaryNode.class, ElementEmitter::binary),
            Map.entry(ConcatNode.class, ElementEmitter::concat),
            Map.entry(Conv2dNode.class, Fp32Emitter::conv),
            Map.entry(GemmNode.class, Fp32Emitter::gemm),
            Map.entry(MatMulNode.class, Fp32Emitter::matmul));

    private CModuleEmitter() {}

    /**
     * Generates the module of a realized (or fp32) graph with one f32 input and one f32 output, as
     * portable code for vectors of {@code vectorBytes} bytes (no SIMD kernel, exact fp32 order).
     */
    public static CModule emit(Graph g, int vectorBytes, ScheduleConfig schedule) {
        return emit(g, TargetFeatures.portable(vectorBytes), schedule, TuningLog.NONE);
    }

    /**
     * Generates the module for a target: the kernels its features ({@link Target#features()}) say
     * it has (vector width, the 8-bit dot: vpmaddubsw, vpdpbusd or sdot; fast fp32).
     */
    public static CModule emit(Graph g, Target target, ScheduleConfig schedule) {
        return emit(g, target, schedule, TuningLog.NONE);
    }

    /**
     * Generates the module for a target as above; a layer the schedule sets no knob for takes its
     * task's best schedule from the tuning log, where the log has it.
     */
    public static CModule emit(Graph g, Target target, ScheduleConfig schedule, TuningLog tuning) {
        return emit(g, target.features(), schedule, tuning);
    }

    private static CModule emit(Graph g, TargetFeatures features, ScheduleConfig schedule, TuningLog tuning) {
        checkInputOutput(g);
        MemoryPlan plan = MemoryPlan.plan(g);
        EmitContext ctx = new EmitContext(g, plan, features, schedule, tuning);
        List<Layer> layers = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (MemoryPlan.isView(n, plan.storage()) || ctx.isFused(n)) {
                continue;
            }
            OpEmitter rule = RULES.get(n.getClass());
            if (rule == null) {
                throw new LoweringException("node '" + n.name() + "': op " + n.opType()
                        + " has no native lowering rule; " + "supported ops: " + supportedOps());
            }
            ctx.startLayer();
            String body = rule.emit(n, ctx);
            layers.add(Layer.of(n, body, ctx));
        }
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put(MODEL_FILE, model(g, plan, ctx, layers));
        layers.forEach(l -> sources.put(l.file(), l.unit()));
        for (String file : LIBRARY) {
            sources.put(file, resource(file));
        }
        sources.putAll(ctx.binaries());
        int in = g.inputs().get(0).type().shape().bind(1).numel();
        int out = g.outputs().get(0).type().shape().bind(1).numel();
        String speed = CArrays.shortHash(
                String.join("\n", layers.stream().map(Layer::speed).toList()));
        return new CModule(
                sources, layers.stream().map(Layer::name).toList(), in, out, ctx.schedule(), ctx.tasks(), speed);
    }

    /** Native code takes one f32 input and gives one f32 output. */
    private static void checkInputOutput(Graph g) {
        if (g.inputs().size() != 1 || g.outputs().size() != 1) {
            throw new LoweringException(
                    "graph '" + g.name() + "' must have one input and one output for native code, but has "
                            + g.inputs().size() + " and " + g.outputs().size());
        }
        for (ValueInfo v : List.of(g.inputs().get(0), g.outputs().get(0))) {
            if (v.type().dtype() != DType.F32) {
                throw new LoweringException(
                        "graph input and output must be f32 for native code, but '" + v.name() + "' is " + v.type());
            }
        }
    }

    /**
     * One layer's C: a file of its own whose text depends on the layer alone (its buffers are
     * link-time symbols) and whose names all start with {@code l<hash of that text>_}, so the same
     * layer in any module is the same file, compiled once (dev.qtune.targets.LayerObjects).
     */
    private record Layer(String name, String hash, String unit, String speed) {
        static Layer of(Node n, String body, EmitContext ctx) {
            StringBuilder sb = new StringBuilder("/* Generated by qtune: one layer of a model. Do not edit. */\n")
                    .append("#include \"qtune_kernels.h\"\n\n")
                    .append(SCRATCH);
            ctx.layerSymbols().forEach(b -> sb.append(buffer(b)));
            sb.append('\n')
                    .append(ctx.constants())
                    .append(ctx.constants().isEmpty() ? "" : "\n")
                    .append(ctx.workFunctions())
                    .append("/* ")
                    .append(CArrays.comment(n.name()))
                    .append(" (")
                    .append(n.opType())
                    .append(") */\n")
                    .append("__attribute__((weak, visibility(\"hidden\"))) void ")
                    .append(EmitContext.LOCAL)
                    .append("layer(const float *in, float *out) {\n    (void) in;\n    (void) out;\n")
                    .append(body)
                    .append("}\n");
            String hash = CArrays.shortHash(sb.toString());
            return new Layer(
                    n.name(),
                    hash,
                    sb.toString().replace(EmitContext.LOCAL, "l" + hash + "_"),
                    ctx.layerSpeed().orElse("text " + hash));
        }

        String function() {
            return "l" + hash + "_layer";
        }

        String file() {
            return LAYER_PREFIX + hash + ".c";
        }
    }

    /** The source-name prefix of a layer's own file. */
    public static final String LAYER_PREFIX = LayerObjects.PREFIX;

    private static final String SCRATCH = "extern const unsigned char qt_zero[] " + aligned() + ";\n"
            + "extern float qt_col[] " + aligned() + ";\n" + "extern int16_t qt_x16[] " + aligned() + ";\n";

    private static String aligned() {
        return "__attribute__((visibility(\"hidden\"), aligned(64)))";
    }

    private static String buffer(String symbol) {
        return "extern unsigned char " + symbol + "[] " + aligned() + ";\n";
    }

    /**
     * model.c: the module's data (arena, scratch, buffer symbols at their offsets, layer names) and
     * its entry points calling the layers in order. It includes no kernel header, so it compiles in
     * a blink; the layers' code is in their own files.
     */
    private static String model(Graph g, MemoryPlan plan, EmitContext ctx, List<Layer> layers) {
        StringBuilder sb = new StringBuilder();
        modelSizes(sb, g, layers);
        modelData(sb, plan, ctx);
        modelEntryPoints(sb, layers);
        return sb.toString();
    }

    /** model.c's head: the sizes of input and output, the layer count and names. */
    private static void modelSizes(StringBuilder sb, Graph g, List<Layer> layers) {
        sb.append("/* Generated by qtune from graph ")
                .append(CArrays.comment(g.name()))
                .append(". Do not edit. */\n")
                .append("#define _POSIX_C_SOURCE 199309L\n#include <stdint.h>\n#include <time.h>\n\n")
                .append("int qt_threads = 1;\n")
                .append("const int qt_input_size = ")
                .append(g.inputs().get(0).type().shape().bind(1).numel())
                .append(";\n")
                .append("const int qt_output_size = ")
                .append(g.outputs().get(0).type().shape().bind(1).numel())
                .append(";\n")
                .append("const int qt_layer_count = ")
                .append(layers.size())
                .append(";\n")
                .append("const char *const qt_layer_names[] = {");
        for (Layer l : layers) {
            sb.append("\n    ").append(CArrays.string(l.name())).append(',');
        }
        sb.append("\n    0\n};\n\n");
    }

    /** model.c's data: the arena, the scratch buffers, each value's buffer symbol at its offset. */
    private static void modelData(StringBuilder sb, MemoryPlan plan, EmitContext ctx) {
        sb.append(aligned())
                .append(" __attribute__((used)) unsigned char qt_arena[")
                .append(Math.max(64, plan.arenaBytes()))
                .append("];\n")
                .append(aligned())
                .append(" const unsigned char qt_zero[")
                .append(ctx.zeroBytes())
                .append("] = {0};\n")
                .append(aligned())
                .append(" float qt_col[")
                .append(Math.max(1, ctx.colFloats()))
                .append("];\n")
                .append(aligned())
                .append(" int16_t qt_x16[")
                .append(ctx.wideInput())
                .append("];\n\n")
                .append("/* Each intermediate value's buffer: a symbol at its offset in the arena. */\n");
        new TreeMap<>(plan.offsets()).forEach((root, off) -> {
            String b = EmitContext.bufferSymbol(root);
            sb.append("__asm__(\".globl ")
                    .append(b)
                    .append("\\n.hidden ")
                    .append(b)
                    .append("\\n.set ")
                    .append(b)
                    .append(", qt_arena + ")
                    .append(off)
                    .append("\");\n");
        });
        sb.append('\n');
    }

    /** model.c's entry points: qt_run and qt_run_profiled, calling the layers in order. */
    private static void modelEntryPoints(StringBuilder sb, List<Layer> layers) {
        for (Layer l : layers) {
            sb.append("/* ")
                    .append(CArrays.comment(l.name()))
                    .append(" */\n__attribute__((visibility(\"hidden\"))) void ")
                    .append(l.function())
                    .append("(const float *in, float *out);\n");
        }
        sb.append("\nvoid qt_run(const float *in, float *out) {\n");
        for (Layer l : layers) {
            sb.append("    ").append(l.function()).append("(in, out);\n");
        }
        sb.append(
                        "}\n\nstatic double qt_now(void) {\n    struct timespec ts;\n    clock_gettime(CLOCK_MONOTONIC, &ts);\n"
                                + "    return (double) ts.tv_sec + ts.tv_nsec * 1e-9;\n}\n\n")
                .append(
                        "void qt_run_profiled(const float *in, float *out, double *seconds) {\n    double t = qt_now(), u;\n");
        for (int i = 0; i < layers.size(); i++) {
            sb.append("    ")
                    .append(layers.get(i).function())
                    .append("(in, out);\n    u = qt_now();\n    seconds[")
                    .append(i)
                    .append("] += u - t;\n    t = u;\n");
        }
        sb.append("}\n");
    }

    private static String supportedOps() {
        return RULES.keySet().stream()
                .map(Class::getSimpleName)
                .map(s -> s.replace("Node", ""))
                .sorted()
                .reduce((a, b) -> a + ", " + b)
                .orElse("");
    }

    /** A file of the kernel library (a classpath resource beside this class's package). */
    static String resource(String file) {
        String path = "/dev/qtune/targets/native/" + file;
        try (InputStream in = CModuleEmitter.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("kernel library file " + path + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
