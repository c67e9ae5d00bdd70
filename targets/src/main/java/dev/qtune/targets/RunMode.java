package dev.qtune.targets;

/** How a target's binaries run on this host (see {@link HostCpu#runMode(Target)}). */
public enum RunMode {
    /** On this CPU directly: correctness and latency. */
    NATIVE,
    /** Under a user-mode emulator (qemu): correctness only, never latency. */
    EMULATED,
    /** Not at all; {@link HostCpu#whyNot(Target)} says why. */
    NONE
}
