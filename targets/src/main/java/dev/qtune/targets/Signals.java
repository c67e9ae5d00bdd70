package dev.qtune.targets;

/** Names of the Linux signals a generated program dies of, for failure reasons. */
final class Signals {
    private static final String[] NAMES = {
        null,
        "SIGHUP",
        "SIGINT",
        "SIGQUIT",
        "SIGILL",
        "SIGTRAP",
        "SIGABRT",
        "SIGBUS",
        "SIGFPE",
        "SIGKILL",
        "SIGUSR1",
        "SIGSEGV",
        "SIGUSR2",
        "SIGPIPE",
        "SIGALRM",
        "SIGTERM",
        "SIGSTKFLT",
        "SIGCHLD",
        "SIGCONT",
        "SIGSTOP",
        "SIGTSTP",
        "SIGTTIN",
        "SIGTTOU",
        "SIGURG",
        "SIGXCPU",
        "SIGXFSZ",
        "SIGVTALRM",
        "SIGPROF",
        "SIGWINCH",
        "SIGIO",
        "SIGPWR",
        "SIGSYS"
    };

    private Signals() {}

    static String name(int signal) {
        return signal > 0 && signal < NAMES.length ? NAMES[signal] : "SIGRT" + signal;
    }

    /** "killed by signal 11 (SIGSEGV)", with a hint for the signals generated code typically dies of. */
    static String describe(int signal) {
        String base = "killed by signal " + signal + " (" + name(signal) + ")";
        return switch (signal) {
            case 4 -> base + ": an instruction this CPU lacks (built for another target?)";
            case 8 -> base + ": arithmetic fault (integer division by zero?)";
            default -> base;
        };
    }
}
