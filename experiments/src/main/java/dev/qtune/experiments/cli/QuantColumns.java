package dev.qtune.experiments.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qtune.compiler.ir.QuantSpec;
import java.util.Collections;
import java.util.Optional;

/** How `inspect` shows the quantization of a value: its integer type, scale(s) and zero point. */
final class QuantColumns {
    private QuantColumns() {}

    /** "u8 s=0.0235 zp=0", "i8 16 scales 0.00123..0.00456 zp=0", or "f32" when not quantized. */
    static String text(Optional<QuantSpec> spec) {
        if (spec.isEmpty()) {
            return "f32";
        }
        QuantSpec s = spec.get();
        String scales = s.scales().size() == 1
                ? "s=" + fmt(s.scales().get(0))
                : s.scales().size() + " scales " + fmt(Collections.min(s.scales())) + ".."
                        + fmt(Collections.max(s.scales()));
        return s.storage() + " " + scales + " zp=" + s.zeroPoint();
    }

    /** {"dtype", "range": [lo, hi], "scales": [...], "axis" (per channel only), "zero_point"}, or null. */
    static void put(ObjectNode o, String key, Optional<QuantSpec> spec) {
        if (spec.isEmpty()) {
            o.putNull(key);
            return;
        }
        QuantSpec s = spec.get();
        ObjectNode q = o.putObject(key);
        q.put("dtype", s.storage().toString());
        q.putArray("range").add(s.range().min()).add(s.range().max());
        ArrayNode scales = q.putArray("scales");
        s.scales().forEach(scales::add);
        if (s.scales().size() > 1) {
            q.put("axis", s.axis());
        }
        q.put("zero_point", s.zeroPoint());
    }

    private static String fmt(float v) {
        return String.format("%.4g", v);
    }
}
