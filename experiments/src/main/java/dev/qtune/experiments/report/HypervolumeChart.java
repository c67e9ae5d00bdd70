package dev.qtune.experiments.report;

import java.awt.Color;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The small chart of hypervolume against generation, from progress.csv. */
final class HypervolumeChart {
    static final Color LINE = new Color(0, 114, 178);

    private HypervolumeChart() {}

    /** The chart, or null when progress.csv has no row with a hypervolume. */
    static XYChart of(List<ProgressRow> progress) {
        List<ProgressRow> rows =
                progress.stream().filter(r -> !Double.isNaN(r.hypervolume())).toList();
        if (rows.isEmpty()) {
            return null;
        }
        XYChart chart = new XYChartBuilder()
                .width(1000)
                .height(260)
                .xAxisTitle("generation")
                .yAxisTitle("hypervolume")
                .build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(230, 230, 230));
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setMarkerSize(6);
        chart.getStyler().setXAxisDecimalPattern("#0");
        chart.getStyler().setYAxisDecimalPattern("#0.####");
        if (rows.size() == 1) {
            chart.getStyler().setXAxisMin(rows.get(0).generation() - 1.0);
            chart.getStyler().setXAxisMax(rows.get(0).generation() + 1.0);
        }
        XYSeries s = chart.addSeries(
                "hypervolume",
                rows.stream().mapToDouble(ProgressRow::generation).toArray(),
                rows.stream().mapToDouble(ProgressRow::hypervolume).toArray());
        s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(LINE);
        s.setLineColor(LINE);
        return chart;
    }
}
