/*
 * qtune native runner: the harness compiled with every generated module.
 *
 *   module info
 *   module infer IN.bin OUT.bin [--threads T]
 *   module bench [--threads T] [--min-seconds S] [--warmup N] [--min-runs R] [--layers] [--input IN.bin]
 *
 * IN.bin:  "QTI1", int32 count, int32 floats per sample, then count * floats (little endian).
 * OUT.bin: "QTO1", int32 count, int32 floats per sample, then count * floats of output, then
 *          count int32 predictions (argmax of each sample's output).
 * bench prints one JSON line on stdout (times of whole runs at batch 1, in milliseconds).
 * Errors go to stderr with exit status 2.
 */
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

extern int qt_threads;
extern const int qt_input_size;
extern const int qt_output_size;
extern const int qt_layer_count;
extern const char *const qt_layer_names[];
void qt_run(const float *in, float *out);
void qt_run_profiled(const float *in, float *out, double *layer_seconds);

static void die(const char *what, const char *detail) {
    fprintf(stderr, "qtune runner: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    exit(2);
}

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void read_exact(FILE *f, void *dst, size_t bytes, const char *path) {
    if (fread(dst, 1, bytes, f) != bytes) {
        die("input file is truncated", path);
    }
}

static float *read_inputs(const char *path, int32_t *count) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        die("cannot open input file", path);
    }
    char magic[4];
    int32_t header[2];
    read_exact(f, magic, 4, path);
    if (memcmp(magic, "QTI1", 4) != 0) {
        die("input file does not start with QTI1", path);
    }
    read_exact(f, header, sizeof header, path);
    if (header[0] < 0 || header[1] != qt_input_size) {
        fprintf(stderr, "qtune runner: %s: expected %d floats per sample, found %d (count %d)\n", path,
                qt_input_size, header[1], header[0]);
        exit(2);
    }
    *count = header[0];
    size_t n = (size_t) header[0] * qt_input_size;
    float *data = malloc(n * sizeof(float) + 1);
    if (!data) {
        die("out of memory reading", path);
    }
    read_exact(f, data, n * sizeof(float), path);
    fclose(f);
    return data;
}

static int argmax(const float *v, int n) {
    int best = 0;
    for (int i = 1; i < n; i++) {
        if (v[i] > v[best]) {
            best = i;
        }
    }
    return best;
}

static int infer(const char *in_path, const char *out_path) {
    int32_t count;
    float *in = read_inputs(in_path, &count);
    float *out = malloc((size_t) count * qt_output_size * sizeof(float) + 1);
    int32_t *pred = malloc((size_t) count * sizeof(int32_t) + 1);
    if (!out || !pred) {
        die("out of memory", NULL);
    }
    for (int32_t i = 0; i < count; i++) {
        qt_run(in + (size_t) i * qt_input_size, out + (size_t) i * qt_output_size);
        pred[i] = argmax(out + (size_t) i * qt_output_size, qt_output_size);
    }
    FILE *f = fopen(out_path, "wb");
    if (!f) {
        die("cannot create output file", out_path);
    }
    int32_t header[2] = {count, qt_output_size};
    if (fwrite("QTO1", 1, 4, f) != 4 || fwrite(header, sizeof header, 1, f) != 1
        || fwrite(out, sizeof(float), (size_t) count * qt_output_size, f) != (size_t) count * qt_output_size
        || fwrite(pred, sizeof(int32_t), (size_t) count, f) != (size_t) count || fclose(f) != 0) {
        die("cannot write output file", out_path);
    }
    free(in);
    free(out);
    free(pred);
    return 0;
}

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

static double percentile(const double *sorted, int n, double p) {
    double pos = p * (n - 1);
    int lo = (int) pos;
    int hi = lo + 1 < n ? lo + 1 : lo;
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

static void print_json_string(const char *s) {
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char) *s;
        if (c == '"' || c == '\\') {
            printf("\\%c", c);
        } else if (c < 0x20) {
            printf("\\u%04x", c);
        } else {
            putchar(c);
        }
    }
    putchar('"');
}

static int bench(const char *in_path, double min_seconds, int warmup, int min_runs, int layers) {
    float *in;
    if (in_path) {
        int32_t count;
        in = read_inputs(in_path, &count);
        if (count < 1) {
            die("bench input file holds no sample", in_path);
        }
    } else {
        in = malloc((size_t) qt_input_size * sizeof(float) + 1);
        uint32_t s = 12345u;
        for (int i = 0; i < qt_input_size; i++) {
            s = s * 1664525u + 1013904223u;
            in[i] = (float) (s >> 8) / 16777216.0f;
        }
    }
    float *out = malloc((size_t) qt_output_size * sizeof(float) + 1);
    for (int i = 0; i < warmup; i++) {
        qt_run(in, out);
    }
    int cap = 1024, n = 0;
    double *times = malloc(cap * sizeof(double));
    double start = now_seconds();
    while (n < min_runs || now_seconds() - start < min_seconds) {
        double t0 = now_seconds();
        qt_run(in, out);
        double t = now_seconds() - t0;
        if (n == cap) {
            cap *= 2;
            times = realloc(times, cap * sizeof(double));
        }
        times[n++] = t;
    }
    qsort(times, n, sizeof(double), compare_doubles);
    printf("{\"runs\":%d,\"threads\":%d,\"median_ms\":%.6f,\"p10_ms\":%.6f,\"p90_ms\":%.6f,\"min_ms\":%.6f", n,
           qt_threads, 1e3 * percentile(times, n, 0.5), 1e3 * percentile(times, n, 0.1),
           1e3 * percentile(times, n, 0.9), 1e3 * times[0]);
    if (layers) {
        double *acc = calloc(qt_layer_count + 1, sizeof(double));
        int runs = n < 5 ? 5 : n;
        for (int r = 0; r < runs; r++) {
            qt_run_profiled(in, out, acc);
        }
        printf(",\"layers\":[");
        for (int l = 0; l < qt_layer_count; l++) {
            printf("%s{\"name\":", l ? "," : "");
            print_json_string(qt_layer_names[l]);
            printf(",\"ms\":%.6f}", 1e3 * acc[l] / runs);
        }
        printf("]");
        free(acc);
    }
    printf("}\n");
    free(times);
    free(in);
    free(out);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        die("usage: module info | infer IN OUT | bench [options]", NULL);
    }
    const char *mode = argv[1];
    const char *paths[2] = {NULL, NULL};
    const char *bench_input = NULL;
    int npaths = 0, warmup = 10, min_runs = 20, layers = 0;
    double min_seconds = 1.0;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--threads") && i + 1 < argc) {
            qt_threads = atoi(argv[++i]);
        } else if (!strcmp(argv[i], "--min-seconds") && i + 1 < argc) {
            min_seconds = atof(argv[++i]);
        } else if (!strcmp(argv[i], "--warmup") && i + 1 < argc) {
            warmup = atoi(argv[++i]);
        } else if (!strcmp(argv[i], "--min-runs") && i + 1 < argc) {
            min_runs = atoi(argv[++i]);
        } else if (!strcmp(argv[i], "--input") && i + 1 < argc) {
            bench_input = argv[++i];
        } else if (!strcmp(argv[i], "--layers")) {
            layers = 1;
        } else if (argv[i][0] != '-' && npaths < 2) {
            paths[npaths++] = argv[i];
        } else {
            die("unknown argument", argv[i]);
        }
    }
    if (qt_threads < 1) {
        die("--threads must be at least 1", NULL);
    }
    if (!strcmp(mode, "info")) {
        printf("{\"input_size\":%d,\"output_size\":%d,\"layers\":%d}\n", qt_input_size, qt_output_size,
               qt_layer_count);
        return 0;
    }
    if (!strcmp(mode, "infer")) {
        if (npaths != 2) {
            die("infer needs IN.bin and OUT.bin", NULL);
        }
        return infer(paths[0], paths[1]);
    }
    if (!strcmp(mode, "bench")) {
        return bench(bench_input, min_seconds, warmup, min_runs < 1 ? 1 : min_runs, layers);
    }
    die("unknown mode (expected info, infer or bench)", mode);
    return 2;
}
