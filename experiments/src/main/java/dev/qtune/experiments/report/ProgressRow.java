package dev.qtune.experiments.report;

/**
 * One row of {@code progress.csv}: the state of the search after a generation. A column the file
 * lacks reads as NaN (or -1 for counts).
 */
record ProgressRow(
        int generation,
        int trials,
        int failures,
        double hypervolume,
        int frontSize,
        double bestTop1,
        double elapsedS) {}
