package dev.qtune.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qtune.experiments.report.HtmlTable.Cell;
import dev.qtune.experiments.run.SensitivityPhase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The sensitivity table of a run (sensitivity.json, when the search ran the analysis): one row per
 * probed option, most harmful first, with a bar as long as its KL divergence change (red: further
 * from fp32, green: closer) beside its agreement, top-1, latency and size changes.
 */
final class SensitivitySection {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Rows shown; the rest are in sensitivity.json. */
    private static final int ROWS = 40;

    private SensitivitySection() {}

    /** The section's body, or null when the run has no sensitivity.json. */
    static String html(RunSnapshot run) {
        Path file = run.dir().resolve(SensitivityPhase.FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            return "<p class=\"note\">" + Html.escape(file.getFileName() + " is unreadable: " + e.getMessage())
                    + "</p>\n";
        }
        HtmlTable t = table(root.path("entries"));
        JsonNode b = root.path("base");
        return String.format(
                        Locale.ROOT,
                        "<p>Each row moves one layer's one choice away from the base config "
                                + "(KL %.5f nats from fp32, top-1 %s, %s on %d validation images; latency changes within "
                                + "%s, the base's own spread, count as 0).</p>%n",
                        b.path("divergence").asDouble(),
                        Format.top1(b.path("top1").asDouble()),
                        Format.ms(b.path("latency_ms").asDouble()),
                        b.path("samples").asInt(),
                        Format.ms(b.path("noise_ms").asDouble()))
                + t.html();
    }

    /** The entries that ran, most harmful first, the first {@value #ROWS} of them. */
    private static HtmlTable table(JsonNode entries) {
        List<JsonNode> rows = new ArrayList<>();
        entries.forEach(e -> {
            if (e.path("ok").asBoolean()) {
                rows.add(e);
            }
        });
        rows.sort(Comparator.comparingDouble(
                (JsonNode e) -> -e.path("d_divergence").asDouble()));
        double scale = rows.stream()
                .mapToDouble(e -> Math.abs(e.path("d_divergence").asDouble()))
                .max()
                .orElse(1);
        HtmlTable t = new HtmlTable(
                "sensitivity",
                "layer",
                "choice",
                "\u0394 KL from fp32",
                "",
                "\u0394 agreement",
                "\u0394 top-1",
                "\u0394 latency",
                "\u0394 size");
        for (JsonNode e : rows.subList(0, Math.min(ROWS, rows.size()))) {
            double d = e.path("d_divergence").asDouble();
            t.row(
                    Cell.text(e.path("layer").asText()),
                    Cell.text(e.path("kind").asText() + " = " + e.path("value").asText()),
                    Cell.num(String.format(Locale.ROOT, "%+.5f", d)),
                    Cell.html(bar(d, scale)),
                    Cell.num(Format.top1Delta(e.path("d_agreement").asDouble())),
                    Cell.num(Format.top1Delta(e.path("d_top1").asDouble())),
                    Cell.num(String.format(
                            Locale.ROOT, "%+.4f ms", e.path("d_latency_ms").asDouble())),
                    Cell.num(String.format(
                            Locale.ROOT, "%+.1f KB", e.path("d_size_bytes").asDouble() / 1024)));
        }
        return t;
    }

    private static String bar(double d, double scale) {
        int width = (int) Math.round(120 * Math.abs(d) / Math.max(scale, 1e-12));
        String colour = d > 0 ? "#c0392b" : "#27ae60";
        return "<span style=\"display:inline-block;height:10px;width:" + width + "px;background:" + colour
                + "\"></span>";
    }
}
