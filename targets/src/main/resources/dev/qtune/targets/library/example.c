/*
 * example.c: runs a model built by `qtune build` on samples from a file and prints the predicted
 * class of each, one line per sample: "<index> <class>".
 *
 *   example SAMPLES.f32 [THREADS]
 *
 * SAMPLES.f32 is raw float32 in this machine's byte order (little endian on x86-64 and AArch64),
 * no header: sample after sample, QTUNE_MODEL_INPUT_SIZE floats each, as the model's input
 * (qtune_model.h says its shape and values). From NumPy: x.astype("<f4").tofile("SAMPLES.f32").
 * Exit status 0, or 2 with a message on stderr.
 *
 * Build (README.md): cc -O2 example.c -I DIR DIR/libqtune_model.a -fopenmp -lm -o example
 *               or:  cc -O2 example.c -I DIR -L DIR -lqtune_model -Wl,-rpath,DIR -lm -o example
 */
#include <stdio.h>
#include <stdlib.h>

#include "qtune_model.h"

static int fail(const char *what, const char *detail) {
    fprintf(stderr, "example: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    return 2;
}

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3) {
        return fail("usage: example SAMPLES.f32 [THREADS]", NULL);
    }
    if (qt_input_size != QTUNE_MODEL_INPUT_SIZE || qt_output_size != QTUNE_MODEL_OUTPUT_SIZE) {
        return fail("qtune_model.h does not belong to the library linked", NULL);
    }
    if (argc == 3) {
        qt_threads = atoi(argv[2]);
        if (qt_threads < 1) {
            return fail("THREADS must be a positive integer", argv[2]);
        }
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        return fail("cannot open", argv[1]);
    }
    static float in[QTUNE_MODEL_INPUT_SIZE];
    static float out[QTUNE_MODEL_OUTPUT_SIZE];
    long n = 0;
    size_t got;
    while ((got = fread(in, sizeof(float), QTUNE_MODEL_INPUT_SIZE, f)) == QTUNE_MODEL_INPUT_SIZE) {
        qt_run(in, out);
        printf("%ld %d\n", n, qtune_argmax(out, QTUNE_MODEL_OUTPUT_SIZE));
        n++;
    }
    int error = ferror(f);
    fclose(f);
    if (error) {
        return fail("cannot read", argv[1]);
    }
    if (got != 0) {
        return fail("the file's size is not a whole number of samples", argv[1]);
    }
    return 0;
}
