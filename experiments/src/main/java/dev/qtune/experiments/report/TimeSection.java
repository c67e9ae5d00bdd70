package dev.qtune.experiments.report;

import dev.qtune.experiments.report.HtmlTable.Cell;
import java.util.Locale;

/** The per-trial time split: mean and total per phase, share of the total, cold and warm trial times. */
final class TimeSection {
    private TimeSection() {}

    static String html(TimeSplit split) {
        if (split.trials() == 0) {
            return "<p class=\"note\">No trial recorded a time split.</p>\n";
        }
        double total = split.phases().get(split.phases().size() - 1).totalS();
        HtmlTable t = new HtmlTable("times", "phase", "trials", "mean", "total", "share of total");
        for (TimeSplit.Phase p : split.phases()) {
            String share = p.name().equals("total") || Double.isNaN(total) || total == 0 || Double.isNaN(p.totalS())
                    ? ""
                    : String.format(Locale.ROOT, "%.1f %%", p.totalS() / total * 100);
            t.row(
                    Cell.text(p.name()),
                    Cell.num(Integer.toString(p.count())),
                    Cell.num(Format.seconds(p.meanS())),
                    Cell.num(Format.seconds(p.totalS())),
                    Cell.num(share));
        }
        return t.html() + "<p>First trial (cold caches): <b>" + Html.escape(Format.seconds(split.firstTotalS()))
                + "</b>; warm-cache trial time (median total of the later trials): <b>"
                + Html.escape(Format.seconds(split.warmMedianS())) + "</b>.</p>\n";
    }
}
