package dev.qtune.targets;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * What a deployable library's header and README say about the model, beside what its module
 * knows (sizes, layers): where it came from and the shapes of its input and output. Text here may
 * come from the model file; it reaches C comments and the README only through a filter of safe
 * characters.
 *
 * @param model       the model, as the user named it (a path)
 * @param config      the quant config it was built under, or "fp32"
 * @param inputName   the graph input's name
 * @param inputShape  the input's shape for one sample (batch 1), e.g. [1, 1, 28, 28]
 * @param outputName  the graph output's name
 * @param outputShape the output's shape for one sample, e.g. [1, 10]
 * @param inputNote   one sentence on the input's values (how the dataset's images become them); qtune's
 *                    own text, in which model or dataset text must already have passed {@link #safe}
 */
public record LibrarySpec(
        String model,
        String config,
        String inputName,
        List<Integer> inputShape,
        String outputName,
        List<Integer> outputShape,
        String inputNote) {
    public LibrarySpec {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(inputName, "inputName");
        inputShape = List.copyOf(inputShape);
        Objects.requireNonNull(outputName, "outputName");
        outputShape = List.copyOf(outputShape);
        Objects.requireNonNull(inputNote, "inputNote");
        if (inputShape.isEmpty() || outputShape.isEmpty()) {
            throw new IllegalArgumentException("input and output shapes must have at least one dimension, but were "
                    + inputShape + " and " + outputShape);
        }
    }

    /** Elements of one input sample. */
    public long inputSize() {
        return inputShape.stream().mapToLong(Integer::longValue).reduce(1, (a, b) -> a * b);
    }

    /** Elements of one output. */
    public long outputSize() {
        return outputShape.stream().mapToLong(Integer::longValue).reduce(1, (a, b) -> a * b);
    }

    /**
     * qtune's own text (flags, a target's description, a compiler's version line) for a C comment or
     * the README: printable ASCII as it is except '*', '\\' and '?' (which could end the comment or
     * form a trigraph), any other character as '_'.
     */
    public static String plain(String text) {
        StringBuilder sb = new StringBuilder();
        for (char c : text.toCharArray()) {
            sb.append(c >= ' ' && c <= '~' && c != '*' && c != '\\' && c != '?' ? c : '_');
        }
        return sb.toString();
    }

    /** Model text made safe for C comments and Markdown: [A-Za-z0-9 _./:-] as they are, any other byte as '_'. */
    public static String safe(String text) {
        StringBuilder sb = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean ok = c >= 'a' && c <= 'z'
                    || c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9'
                    || c == ' '
                    || c == '_'
                    || c == '.'
                    || c == '/'
                    || c == ':'
                    || c == '-';
            sb.append(ok ? (char) c : '_');
        }
        return sb.toString();
    }
}
