package dev.qtune.experiments.report;

import java.awt.Graphics2D;
import org.knowm.xchart.style.markers.Marker;

/** An XChart marker drawn at a multiple of the chart's marker size (XChart has one size per chart). */
final class ScaledMarker extends Marker {
    private final Marker shape;
    private final double scale;

    ScaledMarker(Marker shape, double scale) {
        this.shape = shape;
        this.scale = scale;
    }

    @Override
    public void paint(Graphics2D g, double x, double y, int markerSize) {
        shape.paint(g, x, y, (int) Math.round(markerSize * scale));
    }
}
