package dev.qtune.experiments.report;

import java.util.regex.Pattern;

/** HTML escaping for every string that comes from a model, a config or a trial log. */
final class Html {
    /** A relative link into the run directory: no scheme, no leading slash, no "..". */
    private static final Pattern SAFE_HREF = Pattern.compile("[A-Za-z0-9._+\\-][A-Za-z0-9._+\\-/]*");

    private Html() {}

    /**
     * The text escaped for element content and for quoted attribute values: {@code & < > " '}
     * become entities. Null becomes the empty string.
     */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Whether a path from the run's files may be used as a link: relative, inside the run directory. */
    static boolean isSafeRelativeHref(String href) {
        return href != null && SAFE_HREF.matcher(href).matches() && !href.contains("..");
    }
}
