package dev.qtune.compiler.quant;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.qtune.compiler.InputLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * YAML text to a Jackson tree, for {@link QuantConfigReader}. Rejects what the tree would get
 * silently wrong: duplicate keys, aliases ({@code *name}, which Jackson's tree reads as the
 * anchor's name) and more than one document. Every failure is a one-line
 * {@link QuantConfigException} "{@code <file>: line L, column C: invalid YAML: <problem>}".
 * An empty file (or one with only comments) gives a null node.
 */
public final class QuantConfigYaml {
    private static final YAMLMapper MAPPER = YAMLMapper.builder(InputLimits.yamlFactory())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private QuantConfigYaml() {}

    public static JsonNode readTree(String yaml, String source) {
        try {
            rejectAliases(yaml, source);
            try (JsonParser p = MAPPER.createParser(yaml)) {
                JsonNode root = MAPPER.readTree(p);
                if (p.nextToken() != null) {
                    throw invalid(
                            source,
                            p.currentTokenLocation(),
                            "a single YAML document expected, but found a second one (remove the extra '---')");
                }
                return root == null ? NullNode.getInstance() : root;
            }
        } catch (JsonProcessingException e) {
            throw translate(e, source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void rejectAliases(String yaml, String source) throws IOException {
        try (YAMLParser p = (YAMLParser) MAPPER.createParser(yaml)) {
            while (p.nextToken() != null) {
                if (p.isCurrentAlias()) {
                    throw invalid(
                            source,
                            p.currentTokenLocation(),
                            "YAML aliases (*" + p.getText() + ") are not supported; write the value out");
                }
            }
        }
    }

    private static QuantConfigException translate(JsonProcessingException e, String source) {
        if (e.getCause() instanceof MarkedYAMLException y && y.getProblemMark() != null) {
            Mark at = y.getProblemMark();
            String context = y.getContext() == null || y.getContextMark() == null
                    ? ""
                    : " (" + y.getContext() + " at line " + (y.getContextMark().getLine() + 1) + ", column "
                            + (y.getContextMark().getColumn() + 1) + ")";
            String hint = context.contains("alias") ? "; quote a value that starts with * (match: \"*/Conv\")" : "";
            return at(source, at.getLine() + 1, at.getColumn() + 1, oneLine(y.getProblem()) + context + hint);
        }
        String problem = oneLine(e.getOriginalMessage());
        if (problem.startsWith("Duplicate field ")) {
            problem = "duplicate key " + problem.substring("Duplicate field ".length());
        }
        return invalid(source, e.getLocation(), problem);
    }

    private static QuantConfigException invalid(String source, JsonLocation loc, String problem) {
        if (loc == null || loc.getLineNr() < 1) {
            return new QuantConfigException(source + ": invalid YAML: " + problem);
        }
        return at(source, loc.getLineNr(), loc.getColumnNr(), problem);
    }

    private static QuantConfigException at(String source, int line, int column, String problem) {
        return new QuantConfigException(
                source + ": line " + line + ", column " + column + ": invalid YAML: " + problem);
    }

    private static String oneLine(String s) {
        return s == null ? "unknown problem" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
