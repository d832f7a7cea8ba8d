package dev.herald.it.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The checked-in API documents of {@code docs/api}, read as the services serve them, and JSON
 * Schema validation against the schemas they hold: every document and the envelope's schema are
 * registered under one base IRI as they lie beside each other, so that their relative
 * {@code $ref}s resolve as they do in the repository and on a service's {@code /v3/}.
 */
final class Documents {

    static final Path DIRECTORY = Path.of("..", "docs", "api").toAbsolutePath().normalize();
    static final String ENVELOPE_SCHEMA = "schemas/envelope-v1.schema.json";
    private static final String BASE = "https://herald.test/docs/api/";
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    static final JsonMapper JSON = JsonMapper.builder().build();

    private static SchemaRegistry registry;

    private Documents() {
    }

    static Path file(String name) {
        return DIRECTORY.resolve(name);
    }

    /** A document of {@code docs/api} (YAML or JSON) as a tree. */
    static JsonNode read(String name) {
        try {
            return YAML.readTree(Files.readAllBytes(file(name)));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static JsonNode readYaml(String text) {
        return YAML.readTree(text);
    }

    /**
     * The errors of {@code json} against the schema at {@code pointer} (a JSON pointer, e.g.
     * {@code /components/schemas/Accepted}) of document {@code name}.
     */
    static List<Error> validate(String name, String pointer, JsonNode json) {
        return registry().getSchema(SchemaLocation.of(BASE + name + "#" + pointer)).validate(json);
    }

    static List<Error> validate(String name, String pointer, String json) {
        return validate(name, pointer, JSON.readTree(json));
    }

    private static synchronized SchemaRegistry registry() {
        if (registry == null) {
            Map<String, String> documents = new HashMap<>();
            try (var files = Files.list(DIRECTORY)) {
                for (Path path : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                    documents.put(BASE + path.getFileName(), JSON.writeValueAsString(read(path.getFileName().toString())));
                }
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            documents.put(BASE + ENVELOPE_SCHEMA, JSON.writeValueAsString(read(ENVELOPE_SCHEMA)));
            registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder.schemas(documents));
        }
        return registry;
    }

    /** Every {@code $ref} in {@code node}, with the JSON pointer of the object holding it. */
    static List<Map.Entry<String, String>> refs(JsonNode node) {
        List<Map.Entry<String, String>> refs = new ArrayList<>();
        collectRefs(node, "", refs);
        return refs;
    }

    private static void collectRefs(JsonNode node, String pointer, List<Map.Entry<String, String>> refs) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> member : node.properties()) {
                if (member.getKey().equals("$ref") && member.getValue().isString()) {
                    refs.add(Map.entry(pointer, member.getValue().asString()));
                }
                else {
                    collectRefs(member.getValue(), pointer + "/" + escape(member.getKey()), refs);
                }
            }
        }
        else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectRefs(node.get(i), pointer + "/" + i, refs);
            }
        }
    }

    /** {@code ref} resolved from document {@code name}: the node it names, or a missing node. */
    static JsonNode resolve(String name, String ref) {
        int hash = ref.indexOf('#');
        String file = hash < 0 ? ref : ref.substring(0, hash);
        String pointer = hash < 0 ? "" : ref.substring(hash + 1);
        String target = file.isEmpty() ? name : file;
        if (!Files.isRegularFile(file(target))) {
            return JSON.missingNode();
        }
        return read(target).at(pointer);
    }

    /** A JSON pointer token (RFC 6901). */
    static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
