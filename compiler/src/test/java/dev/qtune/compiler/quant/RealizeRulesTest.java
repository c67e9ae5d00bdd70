package dev.qtune.compiler.quant;

import static dev.qtune.compiler.quant.QuantTestSupport.MAX;
import static dev.qtune.compiler.quant.QuantTestSupport.quantize;
import static dev.qtune.compiler.quant.QuantizePassesTest.convRelu;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qtune.compiler.QtuneException;
import dev.qtune.compiler.ir.Graph;
import dev.qtune.compiler.ir.Node;
import dev.qtune.compiler.ir.SimQuantizeNode;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The realize rule table: complete for what annotate produces, and an op without a rule is named. */
class RealizeRulesTest {
    @Test
    void everyOpOfAnAnnotatedGraphHasARealizeRule() {
        Set<Class<? extends Node>> missing = new HashSet<>(AnnotateRules.ops());
        missing.add(SimQuantizeNode.class);
        missing.removeAll(RealizeRules.ops());
        assertTrue(missing.isEmpty(), "ops with an annotate rule but no realize rule: " + missing);
    }

    @Test
    void anOpWithoutARealizeRuleIsNamed() {
        // Realizing twice: the first pass's Quantize node has no realize rule.
        Graph realized = quantize(convRelu(), MAX).realized();
        Node first = realized.nodes().get(0);
        QtuneException e = assertThrows(QtuneException.class, () -> new QuantizeRealizePass().run(realized));
        assertEquals(
                first.opType() + " node '" + first.name() + "' has no quantize-realize rule "
                        + "(declare it in RealizeRules, as FP32 if it cannot run on integers)",
                e.getMessage());
    }
}
