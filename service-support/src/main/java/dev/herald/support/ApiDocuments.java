package dev.herald.support;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Serves a service's API document: the checked-in {@code docs/api/<name>.openapi.yaml}, which the
 * build copies into this jar, at {@code /v3/api-docs} (as JSON) and {@code /v3/api-docs.yaml} (as
 * written), and the envelope's JSON Schema, which the documents' {@code $ref}s name relative to
 * them, at {@code /v3/schemas/envelope-v1.schema.json}. Always on: the documents are public and hold
 * no secrets. With {@code swaggerUi}, development only, Swagger UI (from the {@code org.webjars:swagger-ui}
 * jar) at {@code /swagger-ui/}, showing {@code /v3/api-docs}.
 *
 * <p>A service declares one as a bean; a missing document fails its start, naming it.
 */
@RestController
public final class ApiDocuments implements WebMvcConfigurer {

    /** Where the build puts {@code docs/api} and this class's Swagger UI initializer. */
    static final String LOCATION = "herald-api/";
    static final String ENVELOPE_SCHEMA = "dev/herald/schema/envelope-v1.schema.json";
    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
    private static final MediaType YAML = new MediaType("application", "yaml", StandardCharsets.UTF_8);
    private static final MediaType JSON_SCHEMA = new MediaType("application", "schema+json");
    private static final CacheControl REVALIDATE = CacheControl.maxAge(Duration.ZERO).mustRevalidate();

    private final byte[] yaml;
    private final byte[] json;
    private final byte[] envelopeSchema;
    private final boolean swaggerUi;

    /**
     * @param name the document's name: {@code producer-api} serves {@code producer-api.openapi.yaml}
     * @param swaggerUi whether to serve Swagger UI (only with {@code herald.dev.enabled})
     */
    public ApiDocuments(String name, boolean swaggerUi) {
        String document = name + ".openapi.yaml";
        this.yaml = resource(LOCATION + document, "the API document " + document + " (docs/api, copied by service-support's build)");
        JsonNode tree = YAMLMapper.builder().build().readTree(yaml);
        this.json = JsonMapper.builder().build().writeValueAsBytes(tree);
        this.envelopeSchema = resource(ENVELOPE_SCHEMA, "the envelope's JSON Schema (common-schema)");
        this.swaggerUi = swaggerUi;
    }

    @GetMapping("/v3/api-docs")
    ResponseEntity<byte[]> json() {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).cacheControl(REVALIDATE).body(json);
    }

    @GetMapping("/v3/api-docs.yaml")
    ResponseEntity<byte[]> yaml() {
        return ResponseEntity.ok().contentType(YAML).cacheControl(REVALIDATE).body(yaml);
    }

    @GetMapping("/v3/schemas/envelope-v1.schema.json")
    ResponseEntity<byte[]> envelopeSchema() {
        return ResponseEntity.ok().contentType(JSON_SCHEMA).cacheControl(REVALIDATE).body(envelopeSchema);
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        // Spring Boot serves every webjar under /webjars/**: not this one, whose own page would
        // show a demo API. Swagger UI is /swagger-ui/, in development only. (No locations: 404.)
        registry.addResourceHandler("/webjars/swagger-ui/**");
        if (swaggerUi) {
            // Our initializer (pointing at /v3/api-docs) first, then the webjar's files.
            registry.addResourceHandler("/swagger-ui/**")
                    .addResourceLocations("classpath:/" + LOCATION + "swagger-ui/", "classpath:/" + WEBJAR + webjarVersion() + "/")
                    .setCacheControl(REVALIDATE);
        }
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        if (swaggerUi) {
            registry.addRedirectViewController("/swagger-ui", "/swagger-ui/");
            registry.addViewController("/swagger-ui/").setViewName("forward:/swagger-ui/index.html");
        }
    }

    private static String webjarVersion() {
        byte[] properties = resource("META-INF/maven/org.webjars/swagger-ui/pom.properties", "the swagger-ui webjar");
        Properties pom = new Properties();
        try {
            pom.load(new ByteArrayInputStream(properties));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return pom.getProperty("version");
    }

    private static byte[] resource(String path, String what) {
        try (InputStream in = ApiDocuments.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(what + " is not on the classpath at " + path);
            }
            return in.readAllBytes();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot read " + path, ex);
        }
    }
}
