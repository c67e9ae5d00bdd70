package dev.qtune.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders the report of a fabricated run in headless Chromium (scripts/screenshot-report.sh) and
 * checks that the screenshot really shows the Pareto plot: enough pixels of the front's colour,
 * spread across the plot, in the upper part of the page. Skipped, saying why, without Chromium.
 * The screenshot is kept as experiments/target/report-screenshot.png for a look.
 */
class ReportScreenshotTest {
    private static final List<String> BROWSERS = List.of("chromium", "chromium-browser", "google-chrome");
    private static final int WIDTH = 1200;
    private static final int HEIGHT = 1600;

    @TempDir
    Path tmp;

    @Test
    void screenshotShowsTheParetoFront() throws Exception {
        Optional<Path> browser = findBrowser();
        if (browser.isEmpty()) {
            String why = "chromium not installed (none of " + BROWSERS + " on PATH): screenshot check skipped";
            System.err.println("ReportScreenshotTest: " + why);
            Assumptions.abort(why);
        }
        Path run = RunFixture.write(tmp.resolve("run"));
        ReportWriter.write(run);
        Path png = tmp.resolve("report.png");
        ProcessBuilder pb = new ProcessBuilder(
                        List.of("bash", script().toString(), run.toString(), png.toString(), WIDTH + "x" + HEIGHT))
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("screenshot.log").toFile());
        pb.environment().put("CHROMIUM", browser.get().toString());
        pb.environment().put("SCREENSHOT_TIMEOUT", "120");
        Process p = pb.start();
        if (!p.waitFor(150, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("screenshot-report.sh did not finish in 150 s: " + log());
        }
        assertEquals(0, p.exitValue(), "screenshot-report.sh failed: " + log());
        Path kept = Path.of("target", "report-screenshot.png");
        Files.createDirectories(kept.getParent());
        Files.copy(png, kept, StandardCopyOption.REPLACE_EXISTING);

        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "not a PNG: " + png);
        assertEquals(WIDTH, image.getWidth());
        int upper = image.getHeight() * 2 / 3;
        FrontPixels front = FrontPixels.count(image, upper, ParetoChart.FRONT);
        assertTrue(front.count() >= 300, "too few pixels of the front's colour in the upper page: " + front);
        assertTrue(front.maxX() - front.minX() >= 150, "the front does not span the plot: " + front);
        assertTrue(front.minY() >= 100, "the front starts above the plot (in the header?): " + front);
    }

    /** The pixels within a small distance of the front's colour, above row {@code rows}. */
    private record FrontPixels(int count, int minX, int maxX, int minY, int maxY) {
        static FrontPixels count(BufferedImage image, int rows, Color colour) {
            int n = 0;
            int minX = Integer.MAX_VALUE;
            int maxX = -1;
            int minY = Integer.MAX_VALUE;
            int maxY = -1;
            for (int y = 0; y < Math.min(rows, image.getHeight()); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    Color c = new Color(image.getRGB(x, y));
                    if (Math.abs(c.getRed() - colour.getRed()) <= 40
                            && Math.abs(c.getGreen() - colour.getGreen()) <= 40
                            && Math.abs(c.getBlue() - colour.getBlue()) <= 40) {
                        n++;
                        minX = Math.min(minX, x);
                        maxX = Math.max(maxX, x);
                        minY = Math.min(minY, y);
                        maxY = Math.max(maxY, y);
                    }
                }
            }
            return new FrontPixels(n, minX, maxX, minY, maxY);
        }
    }

    private String log() throws Exception {
        Path log = tmp.resolve("screenshot.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no output)";
    }

    private static Optional<Path> findBrowser() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : BROWSERS) {
                Path p = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** scripts/screenshot-report.sh, found from the module directory (Maven's working directory) upward. */
    private static Path script() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path s = d.resolve("scripts/screenshot-report.sh");
            if (Files.isRegularFile(s)) {
                return s;
            }
        }
        throw new AssertionError(
                "scripts/screenshot-report.sh not found above " + Path.of("").toAbsolutePath());
    }
}
