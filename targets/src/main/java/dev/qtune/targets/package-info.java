/**
 * Targets: what qtune can generate native code for, and the machinery to build and run it.
 *
 * <ul>
 *   <li>{@link dev.qtune.targets.Target} and {@link dev.qtune.targets.Targets}: the four target
 *       descriptions (ISA, required CPU flags, compiler and flags, vector width, arithmetic limits).</li>
 *   <li>{@link dev.qtune.targets.HostCpu}: what this machine is, and whether a target runs here
 *       ({@link dev.qtune.targets.RunMode}).</li>
 *   <li>{@link dev.qtune.targets.Toolchain}, {@link dev.qtune.targets.NativeBuild}: the C compiler
 *       and a content-addressed build cache.</li>
 *   <li>{@link dev.qtune.targets.NativeProcess}: runs a generated program in a child process with a
 *       timeout, so a crash or hang fails one trial, not the JVM.</li>
 *   <li>{@link dev.qtune.targets.HostLock}: keeps benchmark runs on one host from overlapping.</li>
 *   <li>{@link dev.qtune.targets.PeakBenchmark}: the host's sustained fp32/int8/int16 MAC rates.</li>
 * </ul>
 */
package dev.qtune.targets;
