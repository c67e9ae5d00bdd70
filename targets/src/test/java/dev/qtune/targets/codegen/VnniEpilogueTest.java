package dev.qtune.targets.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.targets.HostCpu;
import dev.qtune.targets.ProcessResult;
import dev.qtune.targets.RunMode;
import dev.qtune.targets.Target;
import dev.qtune.targets.Targets;
import dev.qtune.targets.Toolchain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The VNNI convolution epilogue (qt_epilogue16_vnni) against the scalar definition
 * qt_clamp_zp(qt_apply(acc, M, shift)) for random accumulators (extremes included), mantissas,
 * shifts from 20 to 62, zero points and all three output kinds: both its 32-bit clamp (every shift
 * of the 16 channels in [32, 62]) and its 64-bit one (some shift below 32, where a value can pass
 * int32), as qt_epilogue_narrow chooses. Runs where the host runs x86-avx512-vnni; says so
 * where it skips.
 */
class VnniEpilogueTest {

    private static final String PROGRAM = """
            #include "qtune_kernels.h"

            static uint64_t state = 0x9E3779B97F4A7C15ull;
            static uint64_t next(void) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                return state;
            }

            int main(void) {
                long wrong = 0, narrow_cases = 0, wide_cases = 0;
                for (int trial = 0; trial < 20000; trial++) {
                    int32_t mant[16], acc[16];
                    int8_t shift[16];
                    const int low_shift = trial % 3 == 0;
                    for (int c = 0; c < 16; c++) {
                        mant[c] = (int32_t) ((1u << 30) + (uint32_t) (next() % (1u << 30)));
                        shift[c] = (int8_t) (low_shift ? 20 + (int) (next() % 43) : 32 + (int) (next() % 31));
                        const uint64_t r = next();
                        acc[c] = r % 8 == 0 ? (r % 16 == 0 ? INT32_MAX : INT32_MIN) : (int32_t) (r >> 32);
                        if (r % 8 == 1) {
                            acc[c] >>= 12;
                        }
                    }
                    const int yk = trial % 3;
                    const int zy = yk == QT_I16 ? (int) (next() % 65535) - 32767 : yk == QT_U8 ? (int) (next() % 256) : 0;
                    const int lo = yk == QT_U8 ? 0 : yk == QT_I8 ? -127 : -32768;
                    const int hi = yk == QT_U8 ? 255 : yk == QT_I8 ? 127 : 32767;
                    uint64_t add[16], sub[16], sft[16];
                    qt_upward_constants_lanes(shift, 16, zy, 16, add, sub, sft);
                    const int narrow = qt_epilogue_narrow(shift, 16, zy);
                    narrow_cases += narrow;
                    wide_cases += !narrow;
                    int16_t out[16];
                    memset(out, 0, sizeof out);
                    qt_epilogue16_vnni(_mm512_loadu_si512((const void *) acc), 0, 16, mant, shift, add, sub, sft,
                                       QT_UPWARD, lo, hi, zy, out, yk, 0, narrow);
                    for (int c = 0; c < 16; c++) {
                        const int32_t want = qt_clamp_zp(qt_apply(acc[c], mant[c], shift[c], QT_UPWARD), zy, lo, hi);
                        if (qt_load(out, yk, c) != want) {
                            wrong++;
                        }
                    }
                }
                printf("%ld %ld %ld\\n", wrong, narrow_cases, wide_cases);
                return 0;
            }
            """;

    @TempDir
    static Path library;

    @BeforeAll
    static void writeLibrary() throws IOException {
        KernelLibraryFiles.write(library);
        Files.writeString(library.resolve("epilogue.c"), PROGRAM, StandardCharsets.UTF_8);
    }

    @Test
    void bothClampsMatchTheScalarDefinition() {
        Target t = Targets.byName(Targets.X86_AVX512_VNNI);
        HostCpu host = HostCpu.detect();
        KernelLibraryFiles.skipUnless(host.runMode(t) != RunMode.NONE, t, "cannot run here: " + host.whyNot(t));
        Toolchain tc = Toolchain.find(t).orElse(null);
        KernelLibraryFiles.skipUnless(tc != null, t, t.compilerCommand() + " not found");
        Path exe = KernelLibraryFiles.compile(tc, t, library, "epilogue.c", "epilogue");
        ProcessResult r = KernelLibraryFiles.run(host, t, exe);
        String[] counts = r.stdout().strip().split(" ");
        assertEquals("0", counts[0], "outputs that differ from qt_clamp_zp(qt_apply(...))");
        assertTrue(
                Long.parseLong(counts[1]) > 1000 && Long.parseLong(counts[2]) > 1000, "both clamps ran: " + r.stdout());
    }
}
