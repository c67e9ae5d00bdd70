package dev.qtune.compiler.quant;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A layer selector: an exact node name, a glob ({@code *} any run of characters, {@code ?} one
 * character) or, with the prefix {@code re:}, a Java regular expression matched against the
 * whole node name.
 */
public record LayerPattern(String text, Pattern regex) {
    public static LayerPattern parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("layer pattern must be non-empty");
        }
        try {
            if (text.startsWith("re:")) {
                return new LayerPattern(text, Pattern.compile(text.substring(3)));
            }
            StringBuilder re = new StringBuilder();
            for (char c : text.toCharArray()) {
                switch (c) {
                    case '*' -> re.append(".*");
                    case '?' -> re.append('.');
                    default -> re.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return new LayerPattern(text, Pattern.compile(re.toString()));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                    "layer pattern '" + text + "' is not a valid regular expression: " + e.getDescription());
        }
    }

    public boolean matches(String nodeName) {
        return regex.matcher(nodeName).matches();
    }
}
