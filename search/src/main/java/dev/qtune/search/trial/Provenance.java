package dev.qtune.search.trial;

/** Enough to rerun a trial: model and data hashes, target, C compiler version, host, seed, threads. */
public record Provenance(
        String modelSha256, String dataSha256, String target, String compiler, String host, long seed, int threads) {}
