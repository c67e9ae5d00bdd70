package dev.qtune.experiments.report;

/**
 * An HTML table built row by row. Text cells are escaped here; only {@link Cell#html} takes
 * markup, and only markup this package built from escaped parts.
 */
final class HtmlTable {
    private final StringBuilder sb = new StringBuilder();
    private int rows;

    /** One cell: its markup and whether it holds a number (right-aligned). */
    record Cell(String markup, boolean numeric) {
        static Cell text(String text) {
            return new Cell(Html.escape(text), false);
        }

        static Cell num(String formatted) {
            return new Cell(Html.escape(formatted), true);
        }

        static Cell html(String trustedMarkup) {
            return new Cell(trustedMarkup, false);
        }
    }

    HtmlTable(String cssClass, String... headers) {
        sb.append("<table class=\"").append(Html.escape(cssClass)).append("\">\n<thead><tr>");
        for (String h : headers) {
            sb.append("<th>").append(Html.escape(h)).append("</th>");
        }
        sb.append("</tr></thead>\n<tbody>\n");
    }

    HtmlTable row(Cell... cells) {
        sb.append("<tr>");
        for (Cell c : cells) {
            sb.append(c.numeric() ? "<td class=\"num\">" : "<td>")
                    .append(c.markup())
                    .append("</td>");
        }
        sb.append("</tr>\n");
        rows++;
        return this;
    }

    int rows() {
        return rows;
    }

    String html() {
        return sb + "</tbody>\n</table>\n";
    }
}
