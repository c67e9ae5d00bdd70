package dev.qtune.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HtmlTest {
    @Test
    void escapesAScriptTagInALayerName() {
        assertEquals("&lt;script&gt;alert(1)&lt;/script&gt;", Html.escape("<script>alert(1)</script>"));
    }

    @Test
    void escapesAmpersandAndBothQuotesInALabel() {
        assertEquals("int8 KL &amp;&quot;&#39;", Html.escape("int8 KL &\"'"));
        assertEquals("a=&quot;x&quot; onmouseover=&#39;y&#39;", Html.escape("a=\"x\" onmouseover='y'"));
    }

    @Test
    void leavesPlainTextAloneAndNullIsEmpty() {
        assertEquals("conv1/weights: 8 bit \u2265 \u00e9", Html.escape("conv1/weights: 8 bit \u2265 \u00e9"));
        assertEquals("", Html.escape(null));
    }

    @Test
    void onlyRelativePathsInsideTheRunAreLinks() {
        assertTrue(Html.isSafeRelativeHref("best/t0007.yaml"));
        assertFalse(Html.isSafeRelativeHref("javascript:alert(1)"));
        assertFalse(Html.isSafeRelativeHref("https://example.org/x.yaml"));
        assertFalse(Html.isSafeRelativeHref("/etc/passwd"));
        assertFalse(Html.isSafeRelativeHref("../../secret.yaml"));
        assertFalse(Html.isSafeRelativeHref("best/a\".yaml"));
        assertFalse(Html.isSafeRelativeHref(""));
        assertFalse(Html.isSafeRelativeHref(null));
    }
}
