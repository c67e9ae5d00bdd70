package dev.qtune.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetsCommandTest {
    @Test
    void tableListsTheFourTargets() {
        CliRun r = CliRun.of("targets");
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("host: "), r.out());
        assertTrue(lines.get(2).startsWith("target") && lines.get(2).contains("runs here"), r.out());
        for (String name : List.of("generic-c", "x86-avx2", "x86-avx512-vnni", "aarch64-neon-dot")) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(name + " ")), name + " missing from\n" + r.out());
        }
        String generic = lines.stream()
                .filter(l -> l.startsWith("generic-c "))
                .findFirst()
                .orElseThrow();
        assertTrue(generic.contains(" native "), generic);
    }

    @Test
    void jsonSaysHowEachTargetRunsHere() throws Exception {
        CliRun r = CliRun.of("targets", "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertFalse(json.get("host").get("model").asText().isBlank());
        List<String> names = new ArrayList<>();
        for (JsonNode t : json.get("targets")) {
            names.add(t.get("name").asText());
            String mode = t.get("run_mode").asText();
            assertTrue(List.of("native", "emulated", "none").contains(mode), mode);
            assertEquals(mode.equals("native"), t.get("reason").asText().isEmpty(), t.toString());
            assertTrue(t.get("compiler_flags").toString().contains("-ffp-contract=off"), t.toString());
            assertFalse(t.has("peak"), "no peak without --peak");
        }
        assertEquals(List.of("generic-c", "x86-avx2", "x86-avx512-vnni", "aarch64-neon-dot"), names);
        assertEquals("native", json.get("targets").get(0).get("run_mode").asText());
    }

    @Test
    void peakMeasuresEveryNativeTarget(@TempDir Path cache) throws Exception {
        String old = System.getProperty("qtune.cache.dir");
        System.setProperty("qtune.cache.dir", cache.toString());
        try {
            CliRun r = CliRun.of("targets", "--json", "--peak");
            assertEquals(0, r.status(), r.err());
            for (JsonNode t : new ObjectMapper().readTree(r.out()).get("targets")) {
                boolean native_ = t.get("run_mode").asText().equals("native")
                        && !t.get("compiler").isNull();
                assertEquals(native_, t.has("peak"), t.toString());
                if (native_) {
                    assertTrue(t.get("peak").get("fp32_gmacs").asDouble() > 0, t.toString());
                    assertTrue(t.get("peak").get("int8_gmacs").asDouble() > 0, t.toString());
                    assertTrue(t.get("peak").get("int16_gmacs").asDouble() > 0, t.toString());
                }
            }
        } finally {
            if (old == null) {
                System.clearProperty("qtune.cache.dir");
            } else {
                System.setProperty("qtune.cache.dir", old);
            }
        }
    }
}
