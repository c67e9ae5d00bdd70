package dev.qtune.experiments.report;

import dev.qtune.compiler.QtuneException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads {@code progress.csv} (header {@code generation,trials,failures,hypervolume,front_size,
 * best_top1,elapsed_s}; columns found by name, extra columns ignored). Like the trial log, a torn
 * last line without a newline is skipped; any other bad line is an error naming file and line.
 */
final class ProgressCsvReader {
    private ProgressCsvReader() {}

    static List<ProgressRow> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new QtuneException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<String> lines = Arrays.asList(text.split("\n", -1));
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            return List.of();
        }
        List<String> header = Arrays.stream(lines.get(0).strip().split(","))
                .map(String::strip)
                .toList();
        if (!header.contains("generation")) {
            throw new QtuneException(file + ":1: expected a header with a 'generation' column, but was '"
                    + lines.get(0).strip() + "'");
        }
        List<ProgressRow> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            boolean last = i == lines.size() - 1;
            try {
                rows.add(row(header, line.split(",", -1)));
            } catch (IllegalArgumentException e) {
                if (!last) {
                    throw new QtuneException(file + ":" + (i + 1) + ": " + e.getMessage());
                }
            }
        }
        return rows;
    }

    private static ProgressRow row(List<String> header, String[] cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("expected " + header.size() + " columns, but found " + cells.length);
        }
        return new ProgressRow(
                count(value(header, cells, "generation")),
                count(value(header, cells, "trials")),
                count(value(header, cells, "failures")),
                value(header, cells, "hypervolume"),
                count(value(header, cells, "front_size")),
                value(header, cells, "best_top1"),
                value(header, cells, "elapsed_s"));
    }

    private static int count(double v) {
        return Double.isNaN(v) ? -1 : (int) v;
    }

    /** The cell of a column; NaN when the file has no such column or the cell is empty. */
    private static double value(List<String> header, String[] cells, String column) {
        int c = header.indexOf(column);
        String v = c < 0 ? "" : cells[c].strip();
        try {
            return v.isEmpty() ? Double.NaN : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("column '" + column + "' must be a number, but was '" + v + "'");
        }
    }
}
