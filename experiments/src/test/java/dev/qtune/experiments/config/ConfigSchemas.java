package dev.qtune.experiments.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.qtune.compiler.quant.QuantConfigYaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The JSON Schemas of docs/schemas/ as the tests use them: a file's YAML (parsed as the readers
 * parse it) validated against a schema with a JSON Schema 2020-12 validator, and the keys a schema
 * allows at a place in a file.
 */
final class ConfigSchemas {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Path DIR = Path.of("..", "docs", "schemas").toAbsolutePath().normalize();
    static final ConfigSchemas EXPERIMENT = new ConfigSchemas("experiment.schema.json");
    static final ConfigSchemas QCONFIG = new ConfigSchemas("qconfig.schema.json");

    private final JsonNode root;
    private final Schema schema;

    private ConfigSchemas(String file) {
        try {
            root = JSON.readTree(DIR.resolve(file).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(root);
    }

    /** The schema's complaints about a YAML text, one line each ("/path: message"); empty when it is valid. */
    List<String> errors(String yaml) {
        JsonNode doc = QuantConfigYaml.readTree(yaml, "test.yaml");
        List<String> out = new ArrayList<>();
        for (Error e : schema.validate(doc.isMissingNode() ? JSON.nullNode() : doc)) {
            out.add(e.getInstanceLocation() + ": " + e.getMessage());
        }
        return out;
    }

    /**
     * The keys the schema allows in the mapping at {@code pointer} (a JSON pointer into the schema,
     * e.g. "/properties/budget"): its properties, and those of its $ref, oneOf and anyOf branches.
     */
    Set<String> keys(String pointer) {
        Set<String> out = new LinkedHashSet<>();
        collect(root.at(pointer), out);
        return out;
    }

    private void collect(JsonNode s, Set<String> out) {
        if (s.has("$ref")) {
            collect(root.at(s.get("$ref").asText().substring(1)), out);
        }
        s.path("properties").fieldNames().forEachRemaining(out::add);
        for (String branch : List.of("oneOf", "anyOf")) {
            s.path(branch).forEach(b -> collect(b, out));
        }
    }

    /** The schema itself. */
    JsonNode root() {
        return root;
    }
}
