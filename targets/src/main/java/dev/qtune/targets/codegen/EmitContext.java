package dev.qtune.targets.codegen;

import dev.qtune.compiler.ir.DType;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.Tensor;
import dev.qtune.compiler.lower.LoweringException;
import dev.qtune.compiler.lower.MemoryPlan;
import dev.qtune.compiler.lower.ScheduleConfig;
import dev.qtune.compiler.lower.TensorStorage;
import dev.qtune.targets.NativeBuild;
import dev.qtune.targets.TargetFeatures;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What op emitters share while one module is generated: the graph, its memory plan, the target's
 * vector width, the schedule, and the current layer's constants and work functions; it also names
 * buffers as C expressions and tracks the scratch sizes the kernels need.
 *
 * <p>Each layer is emitted on its own ({@link #startLayer()}), so that its C text depends only on
 * the layer: buffers are named by link-time symbols ({@link #bufferSymbol}) rather than arena
 * offsets, and the layer's own names start with {@link #LOCAL}, which {@link CModuleEmitter}
 * replaces by a prefix made of the hash of the layer's text. The same layer in two modules is then
 * the same text, compiled once (dev.qtune.targets.LayerObjects).
 */
final class EmitContext {
    final Graph graph;
    final MemoryPlan plan;
    /** What the target's code may use: the kernels are chosen by these, never by the target's name or flags. */
    final TargetFeatures features;
    /** The int32 lanes of the target's vectors ({@link TargetFeatures#int32Lanes()}). */
    final int lanes;
    /** Whether fp32 layers take the fast FMA kernels (x86 SIMD targets) rather than the interpreter's exact order. */
    final boolean fastFp32;
    /** The prefix of a layer's own C names (constants, argument structs, work functions) while it is emitted. */
    static final String LOCAL = "@";
    /** Constants with more elements than this are embedded as binary files. */
    private static final int BINARY_THRESHOLD = 65536;

    private ScheduleConfig schedule;
    private final TuningLog tuning;
    private final Map<String, LayerTask> tasks = new LinkedHashMap<>();
    private final Set<String> fused = new HashSet<>();
    private final Map<String, String> binaries = new LinkedHashMap<>();
    private StringBuilder constants = new StringBuilder();
    private StringBuilder work = new StringBuilder();
    private Set<String> symbols = new TreeSet<>();
    private String speed;
    private int workCount;
    private int constantCount;
    private int argsCount;
    private long zeroBytes = 64;
    private long colFloats;
    private long wideInput = 1;

    EmitContext(Graph graph, MemoryPlan plan, TargetFeatures features, ScheduleConfig schedule, TuningLog tuning) {
        this.tuning = tuning;
        this.graph = graph;
        this.plan = plan;
        this.features = features;
        this.lanes = features.int32Lanes();
        this.fastFp32 = features.fastFp32();
        this.schedule = schedule;
    }

    /** Starts a layer: its constants, work functions, buffer symbols and local names start afresh. */
    void startLayer() {
        constants = new StringBuilder();
        work = new StringBuilder();
        symbols = new TreeSet<>();
        speed = null;
        workCount = 0;
        constantCount = 0;
        argsCount = 0;
    }

    /**
     * Declares what the current layer's speed depends on (kernel, kinds, shapes, schedule), for a
     * layer whose other values (scales, multipliers, weights, zero points' values) only change
     * constants the same code reads. A layer that declares nothing is timed as its exact text.
     */
    void speed(String key) {
        speed = key;
    }

    /** The current layer's speed key, if it declared one. */
    Optional<String> layerSpeed() {
        return Optional.ofNullable(speed);
    }

    /** The buffer symbols the current layer uses (sorted). */
    Set<String> layerSymbols() {
        return symbols;
    }

    /**
     * The link-time symbol of a root value's buffer: derived from the value's name only, so a
     * layer's text does not change when the memory plan moves other buffers. model.c defines it
     * at the value's arena offset.
     */
    static String bufferSymbol(String root) {
        return "qt_b_" + CArrays.shortHash(root);
    }

    /** Marks a node whose work another node's kernel does (an activation fused into a store): it emits nothing. */
    void fuse(Node n) {
        fused.add(n.name());
    }

    boolean isFused(Node n) {
        return fused.contains(n.name());
    }

    /** Whether two values' buffers may share bytes (the caller's input and output never share with the arena). */
    boolean mayOverlap(String a, String b) {
        String ra = plan.root(a);
        String rb = plan.root(b);
        Long oa = plan.offsets().get(ra);
        Long ob = plan.offsets().get(rb);
        if (oa == null || ob == null) {
            return buffer(a).equals(buffer(b));
        }
        return oa < ob + storage(rb).bytes() && ob < oa + storage(ra).bytes();
    }

    TensorStorage storage(String value) {
        return plan.storage().get(value);
    }

    /** The buffer of a value as a {@code void *} / {@code unsigned char *} C expression. */
    String buffer(String value) {
        String root = plan.root(value);
        if (graph.inputs().stream().anyMatch(v -> v.name().equals(root))) {
            return "in";
        }
        if (graph.outputs().stream().anyMatch(v -> plan.root(v.name()).equals(root))) {
            return "out";
        }
        if (!plan.offsets().containsKey(root)) {
            throw new LoweringException("value '" + value + "' has no buffer in the memory plan");
        }
        String symbol = bufferSymbol(root);
        symbols.add(symbol);
        return symbol;
    }

    /** The buffer of an fp32 value as a {@code float *} expression. */
    String floats(String value) {
        String b = buffer(value);
        return b.equals("in") || b.equals("out") ? b : "((float *) " + b + ")";
    }

    Tensor constant(Node n, String value) {
        return graph.constant(value)
                .orElseThrow(() -> new LoweringException("node '" + n.name() + "' (" + n.opType()
                        + ") must have a constant " + value + " for native code, but it is computed"));
    }

    /** Declares a constant array and returns its C name. */
    String declare(String cType, int[] values) {
        String name = LOCAL + "k" + constantCount++;
        if (values.length > BINARY_THRESHOLD) {
            int width = switch (cType) {
                case "int8_t", "uint8_t" -> 1;
                case "int16_t" -> 2;
                default -> 4;
            };
            StringBuilder bytes = new StringBuilder(values.length * width);
            for (int v : values) {
                for (int b = 0; b < width; b++) {
                    bytes.append((char) ((v >>> (8 * b)) & 0xff));
                }
            }
            return binary(name, cType, bytes.toString());
        }
        constants
                .append("static const ")
                .append(cType)
                .append(' ')
                .append(name)
                .append("[] __attribute__((aligned(64))) = ")
                .append(CArrays.ints(values))
                .append(";\n");
        return name;
    }

    String declare(float[] values) {
        String name = LOCAL + "k" + constantCount++;
        if (values.length > BINARY_THRESHOLD) {
            StringBuilder bytes = new StringBuilder(values.length * 4);
            for (float f : values) {
                int v = Float.floatToRawIntBits(f);
                for (int b = 0; b < 4; b++) {
                    bytes.append((char) ((v >>> (8 * b)) & 0xff));
                }
            }
            return binary(name, "float", bytes.toString());
        }
        constants
                .append("static const float ")
                .append(name)
                .append("[] __attribute__((aligned(64))) = ")
                .append(CArrays.floats(values))
                .append(";\n");
        return name;
    }

    /**
     * Declares a {@code static const} struct of the kernel library (e.g. {@code qt_conv_args}) from
     * designated initialisers, one group of fields per line ({@code ".H = 28, .W = 28"}), and returns
     * its name. Every value must be a constant expression (literals, addresses of static buffers):
     * the compiler then reads the fields as constants wherever the struct is passed.
     */
    String declareStruct(String cType, List<String> fieldLines) {
        String name = LOCAL + "qt_args" + argsCount++;
        constants.append("static const ").append(cType).append(' ').append(name).append(" = {\n");
        for (String line : fieldLines) {
            constants.append("    ").append(line).append(",\n");
        }
        constants.append("};\n");
        return name;
    }

    /**
     * The buffer of a value as a constant expression (an address in the arena), for a static
     * initialiser; the graph's own input and output, which are function parameters, are refused.
     */
    String staticBuffer(String value) {
        String b = buffer(value);
        if (b.equals("in") || b.equals("out")) {
            throw new LoweringException("value '" + value + "' is the graph's " + (b.equals("in") ? "input" : "output")
                    + "; an integer kernel's operands must be in the arena");
        }
        return b;
    }

    /**
     * Declares a pad row: {@code n} elements of C type {@code cType}, each {@code value} (the
     * integer of real 0 as a kernel reads it, e.g. 128 for an i8 input offset by +128), and
     * returns its name.
     */
    String declarePadRow(String cType, int n, int value) {
        String name = LOCAL + "k" + constantCount++;
        constants
                .append("static const ")
                .append(cType)
                .append(' ')
                .append(name)
                .append("[")
                .append(n)
                .append("] __attribute__((aligned(64))) = {[0 ... ")
                .append(n - 1)
                .append("] = ")
                .append(value)
                .append("};\n");
        return name;
    }

    /**
     * A large constant as a binary file next to the source, embedded by the assembler (.incbin,
     * little endian as all our targets are): compiling a multi-megabyte initialiser list is slow.
     * The file is named by its content, so two layers' files never clash. The symbol is hidden and
     * global, so the compiler addresses it PC-relative (a local label was read through the GOT on
     * AArch64), and weak, as its layer's function, since two linked objects may hold the same layer;
     * it has a section of its own, so the link drops it with an unused layer.
     */
    private String binary(String name, String cType, String bytes) {
        String file = "w" + CArrays.shortHash(bytes) + NativeBuild.BINARY_SUFFIX;
        binaries.put(file, bytes);
        // its own section, so that a link with --gc-sections drops it with its layer when unused
        constants
                .append("__asm__(\".section .rodata.")
                .append(name)
                .append(",\\\"a\\\"\\n.balign 64\\n.weak ")
                .append(name)
                .append("\\n.hidden ")
                .append(name)
                .append("\\n")
                .append(name)
                .append(":\\n.incbin \\\"")
                .append(file)
                .append("\\\"\\n.previous\");\n")
                .append("extern const ")
                .append(cType)
                .append(' ')
                .append(name)
                .append("[] __attribute__((visibility(\"hidden\")));\n");
        return name;
    }

    /** Binary files (name to bytes, one char per byte) that the module's source embeds. */
    Map<String, String> binaries() {
        return binaries;
    }

    void needZeroBytes(long bytes) {
        zeroBytes = Math.max(zeroBytes, bytes);
    }

    void needWideInput(long elements) {
        wideInput = Math.max(wideInput, elements);
    }

    long wideInput() {
        return wideInput;
    }

    void needColFloats(long floats) {
        colFloats = Math.max(colFloats, floats);
    }

    long zeroBytes() {
        return zeroBytes;
    }

    long colFloats() {
        return colFloats;
    }

    /** The current layer's constants (C definitions, names starting with {@link #LOCAL}). */
    String constants() {
        return constants.toString();
    }

    /**
     * Declares a work function {@code static void NAME(const float *in, float *out, int w0, int w1)}
     * whose body is {@code call} (a kernel call ending in the arguments {@code w0, w1}) and returns
     * its name; a layer runs it through {@code qt_parallel}, so the kernel is inlined with literal
     * shapes outside any OpenMP region.
     */
    String work(String call) {
        String name = LOCAL + "qt_work" + workCount++;
        work.append("static void ")
                .append(name)
                .append("(const float *in, float *out, int w0, int w1) {\n")
                .append("    (void) in;\n    (void) out;\n")
                .append(call)
                .append("}\n\n");
        return name;
    }

    /** The current layer's work functions (C definitions, names starting with {@link #LOCAL}). */
    String workFunctions() {
        return work.toString();
    }

    ScheduleConfig schedule() {
        return schedule;
    }

    /** The tuning log whose schedules layers without one in the config take. */
    TuningLog tuning() {
        return tuning;
    }

    /** Records a layer's tuning task. */
    void task(String layer, LayerTask task) {
        tasks.put(layer, task);
    }

    /** The tuning tasks of the layers emitted so far, by layer name. */
    Map<String, LayerTask> tasks() {
        return tasks;
    }

    /** Records a knob value actually used (so the module's schedule lists defaults too). */
    void used(String layer, String knob, int value) {
        schedule = schedule.with(layer, knob, value);
    }

    static String kind(DType d) {
        return switch (d) {
            case U8 -> "QT_U8";
            case I8 -> "QT_I8";
            case I16 -> "QT_I16";
            default -> throw new LoweringException("integer activations must be u8, i8 or i16, but one is " + d);
        };
    }
}
