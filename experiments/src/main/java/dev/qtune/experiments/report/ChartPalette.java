package dev.qtune.experiments.report;

import java.awt.Color;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The charts' colours (Okabe and Ito's, told apart with colour-blind eyes too) and markers. */
final class ChartPalette {
    static final Color BLUE = new Color(0, 114, 178);
    static final Color GREEN = new Color(0, 158, 115);
    static final Color ORANGE = new Color(213, 94, 0);
    static final Color SKY = new Color(86, 180, 233);
    static final Color PINK = new Color(204, 121, 167);
    static final Color MAGENTA = new Color(230, 0, 126);
    static final Color GREY = new Color(120, 120, 120);

    /** Colours for series of one kind, in turn. */
    static final Color[] COLORS = {BLUE, GREEN, ORANGE, SKY, PINK};

    /** Markers for series of one kind, in turn. */
    static final Marker[] MARKERS = {
        SeriesMarkers.DIAMOND,
        SeriesMarkers.SQUARE,
        SeriesMarkers.TRIANGLE_UP,
        SeriesMarkers.TRIANGLE_DOWN,
        SeriesMarkers.OVAL
    };

    private ChartPalette() {}
}
