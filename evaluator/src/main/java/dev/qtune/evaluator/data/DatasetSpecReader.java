package dev.qtune.evaluator.data;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.qtune.compiler.InputLimits;
import dev.qtune.compiler.QtuneException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads a {@link DatasetSpec} from YAML. Unknown keys are rejected; every error is one
 * {@link DatasetException} line naming the file and the key path, e.g.
 * {@code mnist.yaml: splits.test.count: must be >= 1, but was 0}.
 */
public final class DatasetSpecReader {
    private static final ObjectMapper YAML = new ObjectMapper(InputLimits.yamlFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private DatasetSpecReader() {}

    /** Reads a spec file. */
    public static DatasetSpec read(Path file) {
        if (!Files.exists(file)) {
            throw new DatasetException("dataset spec file not found: " + file);
        }
        String text;
        try {
            text = InputLimits.readConfigText(file, "dataset spec file");
        } catch (QtuneException e) {
            throw new DatasetException(e.getMessage(), e);
        }
        return read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), file.toString());
    }

    /** Reads a spec from a stream; {@code source} names it in error messages. */
    public static DatasetSpec read(InputStream in, String source) {
        List<JsonNode> documents = new ArrayList<>();
        try (JsonParser parser = YAML.getFactory().createParser(in)) {
            while (parser.nextToken() != null) {
                documents.add(YAML.readTree(parser));
            }
        } catch (JsonProcessingException e) {
            throw new DatasetException(
                    source + at(e.getLocation()) + ": expected valid YAML, found: " + firstLine(e.getOriginalMessage()),
                    e);
        } catch (IOException e) {
            throw new DatasetException(source + ": expected a readable YAML file, found an I/O error: " + e, e);
        }
        if (documents.size() > 1) {
            throw new DatasetException(source + ": expected one YAML document, found " + documents.size());
        }
        JsonNode tree = documents.isEmpty() ? null : documents.get(0);
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new DatasetException(
                    source + ": expected a dataset spec (name, classes, splits, ...), found an empty document");
        }
        try {
            return YAML.treeToValue(tree, DatasetSpec.class);
        } catch (JsonMappingException e) {
            throw new DatasetException(source + ": " + describe(e, tree), e);
        } catch (JsonProcessingException e) {
            throw new DatasetException(source + ": " + firstLine(e.getOriginalMessage()), e);
        }
    }

    private static String describe(JsonMappingException e, JsonNode tree) {
        String path = path(e);
        if (e instanceof UnrecognizedPropertyException u) {
            return path + ": unknown key '" + u.getPropertyName() + "', allowed keys: " + join(u.getKnownPropertyIds());
        }
        if (e instanceof ValueInstantiationException && e.getCause() instanceof SpecValueException v) {
            return (path.isEmpty() ? "" : path + ".") + v.key() + ": " + v.rule();
        }
        if (e instanceof InvalidFormatException f
                && f.getTargetType() != null
                && f.getTargetType().isEnum()) {
            return path + ": must be one of "
                    + join(Arrays.asList(f.getTargetType().getEnumConstants())) + ", but was '" + f.getValue() + "'";
        }
        if (e instanceof InvalidFormatException f) {
            return path + ": must be " + typeName(f.getTargetType()) + ", but was '" + f.getValue() + "'";
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return (path.isEmpty() ? "(top level)" : path) + ": must be " + typeName(m.getTargetType()) + ", but was "
                    + found(tree.at(pointer(e)));
        }
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        String message = cause == e ? e.getOriginalMessage() : cause.toString();
        return (path.isEmpty() ? "(top level)" : path) + ": " + firstLine(String.valueOf(message));
    }

    /** The key path of the error: "splits.test.images", "mean[1]". */
    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** The JSON pointer of the error's key path, to look up what the file holds there. */
    private static JsonPointer pointer(JsonMappingException e) {
        JsonPointer p = JsonPointer.empty();
        for (JsonMappingException.Reference r : e.getPath()) {
            p = r.getFieldName() != null
                    ? p.appendProperty(r.getFieldName())
                    : p.appendIndex(Math.max(0, r.getIndex()));
        }
        return p;
    }

    private static String found(JsonNode node) {
        if (node.isArray()) {
            return "a list";
        }
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isTextual()) {
            return "the string '" + node.asText() + "'";
        }
        if (node.isNull() || node.isMissingNode()) {
            return "empty";
        }
        return "'" + node.asText() + "'";
    }

    private static String typeName(Class<?> type) {
        if (type == Integer.class || type == int.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "a mapping (" + type.getSimpleName() + ")";
    }

    private static String join(Collection<?> values) {
        return values.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
    }

    private static String at(JsonLocation loc) {
        return loc == null || loc.getLineNr() < 0 ? "" : ":" + loc.getLineNr() + ":" + loc.getColumnNr();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }
}
