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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What op emitters share while one module is generated: the graph, its memory plan, the target's
 * vector width, the schedule, and the growing constant section; it also names buffers as C
 * expressions and tracks the scratch sizes the kernels need.
 */
final class EmitContext {
    final Graph graph;
    final MemoryPlan plan;
    final int lanes;
    /** Whether the target has the 8-bit dot kernels (vpmaddubsw + vpmaddwd). */
    final boolean dot8;
    /** Whether its 8-bit dot is vpdpbusd (AVX-512 VNNI): exact for every u8 input and int8 weight. */
    final boolean vnni;
    /** Whether the target has the NEON sdot kernel (AArch64 dot product): exact for every 8-bit input and int8 weight. */
    final boolean neon;
    /** Whether fp32 layers take the fast FMA kernels (x86 SIMD targets) rather than the interpreter's exact order. */
    final boolean fastFp32;
    private ScheduleConfig schedule;
    private final StringBuilder constants = new StringBuilder();
    private final StringBuilder work = new StringBuilder();
    private final Set<String> fused = new HashSet<>();
    private int workCount;
    private int constantCount;
    private int argsCount;
    /** Constants with more elements than this are embedded as binary files. */
    private static final int BINARY_THRESHOLD = 65536;
    private final Map<String, String> binaries = new java.util.LinkedHashMap<>();
    private long zeroBytes = 64;
    private long colFloats;
    private long wideInput = 1;

    EmitContext(Graph graph, MemoryPlan plan, int lanes, boolean dot8, boolean vnni, boolean neon, boolean fastFp32,
                ScheduleConfig schedule) {
        this.graph = graph;
        this.plan = plan;
        this.lanes = lanes;
        this.dot8 = dot8;
        this.vnni = vnni;
        this.neon = neon;
        this.fastFp32 = fastFp32;
        this.schedule = schedule;
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
        Long off = plan.offsets().get(root);
        if (off == null) {
            throw new LoweringException("value '" + value + "' has no buffer in the memory plan");
        }
        return "(qt_arena + " + off + ")";
    }

    /** The buffer of an fp32 value as a {@code float *} expression. */
    String floats(String value) {
        String b = buffer(value);
        return b.equals("in") || b.equals("out") ? b : "((float *) " + b + ")";
    }

    Tensor constant(Node n, String value) {
        return graph.constant(value).orElseThrow(() -> new LoweringException("node '" + n.name() + "' (" + n.opType()
                + ") must have a constant " + value + " for native code, but it is computed"));
    }

    /** Declares a constant array and returns its C name. */
    String declare(String cType, int[] values) {
        String name = "k" + constantCount++;
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
        constants.append("static const ").append(cType).append(' ').append(name).append("[] __attribute__((aligned(64))) = ")
                .append(CArrays.ints(values)).append(";\n");
        return name;
    }

    String declare(float[] values) {
        String name = "k" + constantCount++;
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
        constants.append("static const float ").append(name).append("[] __attribute__((aligned(64))) = ")
                .append(CArrays.floats(values)).append(";\n");
        return name;
    }

    /**
     * Declares a {@code static const} struct of the kernel library (e.g. {@code qt_conv_args}) from
     * designated initialisers, one group of fields per line ({@code ".H = 28, .W = 28"}), and returns
     * its name. Every value must be a constant expression (literals, addresses of static buffers):
     * the compiler then reads the fields as constants wherever the struct is passed.
     */
    String declareStruct(String cType, List<String> fieldLines) {
        String name = "qt_args" + argsCount++;
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
        String name = "k" + constantCount++;
        constants.append("static const ").append(cType).append(' ').append(name).append("[").append(n)
                .append("] __attribute__((aligned(64))) = {[0 ... ").append(n - 1).append("] = ").append(value)
                .append("};\n");
        return name;
    }

    /**
     * A large constant as a binary file next to the source, embedded by the assembler (.incbin,
     * little endian as all our targets are): compiling a multi-megabyte initialiser list is slow.
     */
    private String binary(String name, String cType, String bytes) {
        binaries.put(name + NativeBuild.BINARY_SUFFIX, bytes);
        // A hidden global symbol: the compiler then addresses it PC-relative, not through the GOT.
        constants.append("__asm__(\".section .rodata\\n.balign 64\\n.globl ").append(name).append("\\n.hidden ")
                .append(name).append("\\n").append(name).append(":\\n.incbin \\\"")
                .append(name).append(NativeBuild.BINARY_SUFFIX).append("\\\"\\n.previous\");\n")
                .append("extern const ").append(cType).append(' ').append(name)
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
        String name = "qt_work" + workCount++;
        work.append("static void ").append(name).append("(const float *in, float *out, int w0, int w1) {\n")
                .append("    (void) in;\n    (void) out;\n").append(call).append("}\n\n");
        return name;
    }

    /** The work functions declared so far (C definitions). */
    String workFunctions() {
        return work.toString();
    }

    ScheduleConfig schedule() {
        return schedule;
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
