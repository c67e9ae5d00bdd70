package dev.qtune.targets;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Tiny C programs built for generic-c, for the tests of the process runner. */
final class TestPrograms {
    private TestPrograms() {}

    static Path build(Path cache, String name, String source) {
        return NativeBuild.build(Targets.byName("generic-c"), Map.of(name + ".c", source), List.of(), cache)
                .executable();
    }

    static final String EXIT_WITH_STDERR = """
            #include <stdio.h>
            int main(void) {
                fprintf(stderr, "first line\\nsomething went wrong\\n");
                return 3;
            }
            """;

    static final String SEGFAULT = """
            #include <signal.h>
            #include <stdio.h>
            int main(void) {
                fprintf(stderr, "about to crash\\n");
                fflush(stderr);
                raise(SIGSEGV);
                return 0;
            }
            """;

    static final String ENDLESS = """
            int main(void) {
                volatile unsigned long n = 0;
                for (;;) {
                    n++;
                }
            }
            """;

    /** Writes MB megabytes to stdout and one to stderr (argv[1], default 10). */
    static final String CHATTY = """
            #include <stdio.h>
            #include <stdlib.h>
            #include <string.h>
            int main(int argc, char **argv) {
                int mb = argc > 1 ? atoi(argv[1]) : 10;
                static char line[1024];
                memset(line, 'x', sizeof line - 1);
                line[sizeof line - 1] = '\\n';
                for (int i = 0; i < mb * 1024; i++) {
                    fwrite(line, 1, sizeof line, stdout);
                    if (i < 1024) {
                        fwrite(line, 1, sizeof line, stderr);
                    }
                }
                return 0;
            }
            """;
}
