package dev.qtune.targets.runner;

import dev.qtune.targets.ProcessResult;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** The runner's file formats (see qtune_runner.c): QTI1 inputs, QTO1 outputs, little endian. */
final class RunnerFiles {
    private RunnerFiles() {}

    static byte[] inputs(float[] data, int count, int size) {
        ByteBuffer b = ByteBuffer.allocate(12 + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("QTI1".getBytes(StandardCharsets.US_ASCII)).putInt(count).putInt(size);
        b.asFloatBuffer().put(data);
        return b.array();
    }

    /** Parses a QTO1 file; anything malformed is a failed result naming what was wrong. */
    static InferResult outputs(byte[] file, int count, int size, ProcessResult p) {
        long expected = 12L + 4L * count * size + 4L * count;
        if (file.length != expected) {
            return InferResult.failed("malformed runner output: " + file.length + " bytes, expected " + expected, p);
        }
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[4];
        b.get(magic);
        int n = b.getInt();
        int k = b.getInt();
        if (!new String(magic, StandardCharsets.US_ASCII).equals("QTO1") || n != count || k != size) {
            return InferResult.failed(
                    "malformed runner output header: " + new String(magic, StandardCharsets.US_ASCII) + " count " + n
                            + " size " + k + ", expected QTO1 " + count + " " + size,
                    p);
        }
        float[] outputs = new float[count * size];
        b.asFloatBuffer().get(outputs);
        b.position(b.position() + 4 * outputs.length);
        int[] predictions = new int[count];
        b.asIntBuffer().get(predictions);
        return new InferResult(true, "", outputs, predictions, p.seconds(), p);
    }
}
