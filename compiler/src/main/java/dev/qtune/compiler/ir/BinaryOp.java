package dev.qtune.compiler.ir;

/** The element-wise binary arithmetic ops. */
public enum BinaryOp {
    ADD("Add"),
    SUB("Sub"),
    MUL("Mul"),
    DIV("Div");

    private final String onnxName;

    BinaryOp(String onnxName) {
        this.onnxName = onnxName;
    }

    public String onnxName() {
        return onnxName;
    }

    public float apply(float a, float b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
        };
    }
}
