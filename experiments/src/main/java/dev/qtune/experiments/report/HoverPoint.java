package dev.qtune.experiments.report;

/**
 * A point of a chart that names itself on hover: its data coordinates and the text of its SVG
 * {@code <title>} (plain text; {@link Svg} escapes it). {@code id} is the trial id, for the
 * element's {@code data-id}.
 *
 * @param x the x value in the chart's data units
 * @param y the y value in the chart's data units
 * @param id the trial id ("t0007", "b0000", "f0031")
 * @param title the tooltip: the trial and its config, one item per line
 */
record HoverPoint(double x, double y, String id, String title) {}
