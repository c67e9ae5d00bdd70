package dev.qtune.targets.runner;

import dev.qtune.targets.ProcessResult;

/**
 * The outcome of a native {@code infer} run: on success the outputs of every sample (row-major,
 * {@code outputSize} floats each) and their argmax predictions; on failure the reason (a crash, a
 * timeout, malformed output), never an exception.
 */
public record InferResult(
        boolean ok, String reason, float[] outputs, int[] predictions, double seconds, ProcessResult process) {
    static InferResult failed(String reason, ProcessResult process) {
        return new InferResult(
                false, reason, new float[0], new int[0], process == null ? 0 : process.seconds(), process);
    }
}
