package dev.qtune.targets;

import java.util.Objects;

/**
 * What a child process did (see {@link NativeProcess}).
 *
 * @param status   OK iff the exit code was 0; TIMEOUT when it was killed for running too long; FAILED otherwise
 * @param exitCode the exit code; on Linux 128 + N for a death by signal N (139 for SIGSEGV)
 * @param stdout   everything it wrote to stdout (UTF-8)
 * @param stderr   everything it wrote to stderr (UTF-8)
 * @param seconds  wall-clock seconds from start to exit (or to the kill)
 * @param reason   empty for OK; otherwise one line for a trial's failure reason
 */
public record ProcessResult(Status status, int exitCode, String stdout, String stderr, double seconds, String reason) {
    /** How the child ended. */
    public enum Status {
        OK,
        FAILED,
        TIMEOUT
    }

    public ProcessResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(reason, "reason");
        if (!(seconds >= 0)) {
            throw new IllegalArgumentException("seconds must be >= 0, but was " + seconds);
        }
        if ((status == Status.OK) != (exitCode == 0 && reason.isEmpty())) {
            throw new IllegalArgumentException("status OK needs exit code 0 and no reason, but was " + status
                    + " with exit code " + exitCode + " and reason '" + reason + "'");
        }
    }

    public boolean ok() {
        return status == Status.OK;
    }
}
