package dev.qtune.experiments.report;

import java.util.Locale;

/** Number formats of the report; NaN (a value the run did not record) prints as "n/a". */
final class Format {
    static final String NA = "n/a";

    private Format() {}

    /** A top-1 accuracy in 0..1 as a percentage with two decimals. */
    static String top1(double fraction) {
        return Double.isNaN(fraction) ? NA : String.format(Locale.ROOT, "%.2f %%", fraction * 100);
    }

    /** Milliseconds with about four significant digits. */
    static String ms(double ms) {
        return Double.isNaN(ms) ? NA : decimals(ms) + " ms";
    }

    static String seconds(double s) {
        if (Double.isNaN(s)) {
            return NA;
        }
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%.0f h %02.0f min", Math.floor(s / 3600), Math.floor(s % 3600 / 60));
        }
        if (s >= 120) {
            return String.format(Locale.ROOT, "%.0f min %02.0f s", Math.floor(s / 60), Math.floor(s % 60));
        }
        return decimals(s) + " s";
    }

    static String bytes(double b) {
        if (Double.isNaN(b)) {
            return NA;
        }
        if (b >= 1 << 20) {
            return String.format(Locale.ROOT, "%.2f MiB", b / (1 << 20));
        }
        return b >= 1 << 10
                ? String.format(Locale.ROOT, "%.1f KiB", b / (1 << 10))
                : String.format(Locale.ROOT, "%.0f B", b);
    }

    /** A plain number with about four significant digits. */
    static String decimals(double v) {
        if (Double.isNaN(v)) {
            return NA;
        }
        double a = Math.abs(v);
        String f = a >= 100 ? "%.1f" : a >= 10 ? "%.2f" : a >= 1 ? "%.3f" : "%.4f";
        return String.format(Locale.ROOT, f, v);
    }

    /** A signed difference in percentage points of top-1. */
    static String top1Delta(double fractionDelta) {
        return Double.isNaN(fractionDelta) ? NA : String.format(Locale.ROOT, "%+.2f pp", fractionDelta * 100);
    }

    /** A signed relative change, e.g. "+3.1 %". */
    static String relative(double now, double before) {
        if (Double.isNaN(now) || Double.isNaN(before) || before == 0) {
            return NA;
        }
        return String.format(Locale.ROOT, "%+.1f %%", (now - before) / before * 100);
    }
}
