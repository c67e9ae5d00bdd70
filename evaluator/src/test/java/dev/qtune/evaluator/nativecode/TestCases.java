package dev.qtune.evaluator.nativecode;

/**
 * How many cases a native property test draws: a representative few in the default test run,
 * all of them with {@code mvn verify -Pall} (which sets {@code qtune.test.cases=full}). Every
 * target still runs every kind of case where the host can run it; only the number of random seeds
 * and equivalent configs shrinks.
 */
final class TestCases {
    /** The system property the {@code all} profile sets to {@value #FULL}. */
    static final String PROPERTY = "qtune.test.cases";

    static final String FULL = "full";

    private TestCases() {}

    static boolean full() {
        return FULL.equals(System.getProperty(PROPERTY));
    }

    /** {@code quick} cases by default, {@code full} with -Pall. */
    static int of(int quick, int full) {
        return full() ? full : quick;
    }
}
