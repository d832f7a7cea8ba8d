package dev.herald.it.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.herald.it.gateway.Gateways;
import dev.herald.it.support.HeraldStack;
import dev.herald.it.support.Http;
import dev.herald.producer.ProducerApiApplication;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * The checked-in OpenAPI documents ({@code docs/api}) held against the running services:
 * producer-api and notification-store of the shared {@link HeraldStack}, and a shared gateway.
 * Each document is valid OpenAPI 3.1 and is what its service serves; every documented operation
 * answers a call built from the document (its example body, its security, its parameters) with a
 * documented status, a documented content type and a body that its documented schema accepts;
 * without credentials, or with bad input, it answers a documented refusal the same way.
 */
class ApiDocumentsIntegrationTests {

    private static final String CHANNEL = "docs:" + UUID.randomUUID().toString().substring(0, 8);

    private final HeraldStack stack = HeraldStack.get();
    private static ConfigurableApplicationContext devProducer;

    /** A document and the running service that serves it. */
    record Service(String document, String url) {
    }

    private List<Service> services() {
        return List.of(new Service("producer-api.openapi.yaml", stack.producerUrl()),
                new Service("notification-store.openapi.yaml", stack.storeUrl()),
                new Service("push-gateway.openapi.yaml", Gateways.shared().get(0).baseUrl()));
    }

    @AfterAll
    static void stopDevProducer() {
        if (devProducer != null) {
            devProducer.close();
        }
    }

    @Test
    void eachDocumentIsValidOpenApi31AndResolvesEveryReference() {
        for (Service service : services()) {
            assertValid(Documents.file(service.document()).toUri().toString());
            // Served, its relative $refs resolve on the service (the envelope's schema beside it).
            assertValid(service.url() + "/v3/api-docs");
            assertValid(service.url() + "/v3/api-docs.yaml");
        }
    }

    @Test
    void servesTheCheckedInDocumentsAndTheEnvelopeSchema() throws IOException {
        for (Service service : services()) {
            Http.Response json = Http.get(service.url() + "/v3/api-docs", null);
            assertThat(json.status()).as(service.url()).isEqualTo(200);
            assertThat(json.header("Content-Type")).isEqualTo("application/json");
            assertThat(json.json()).as("the served JSON is the checked-in %s", service.document())
                    .isEqualTo(Documents.read(service.document()));

            Http.Response yaml = Http.get(service.url() + "/v3/api-docs.yaml", null);
            assertThat(yaml.status()).isEqualTo(200);
            assertThat(yaml.header("Content-Type")).startsWith("application/yaml");
            assertThat(yaml.raw().body()).isEqualTo(Files.readString(Documents.file(service.document())));

            Http.Response schema = Http.get(service.url() + "/v3/" + Documents.ENVELOPE_SCHEMA, null);
            assertThat(schema.status()).isEqualTo(200);
            assertThat(schema.header("Content-Type")).isEqualTo("application/schema+json");
            // docs/api/schemas links to common-schema's resource: the schema the services validate with.
            assertThat(schema.json()).isEqualTo(Documents.read(Documents.ENVELOPE_SCHEMA));
            assertThat(schema.json().get("$id").asString()).isEqualTo("https://herald.dev/schema/envelope-v1.schema.json");
        }
    }

    @Test
    void everyDocumentedOperationAnswersAsDocumented() {
        Fixture fixture = new Fixture(stack);
        List<String> checked = new ArrayList<>();
        for (Service service : services()) {
            JsonNode document = Documents.read(service.document());
            for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
                for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                    Call call = new Call(service, document, path.getKey(), operation.getKey(), operation.getValue(), fixture);
                    call.assertValidCallSucceeds();
                    call.assertRefusalsAreDocumented();
                    checked.add(operation.getKey().toUpperCase() + " " + path.getKey());
                }
            }
        }
        assertThat(checked).contains("POST /v1/notifications", "POST /v1/notifications/batch",
                "POST /v1/channels/{channel}/messages", "POST /v1/tokens", "GET /v1/me/notifications",
                "POST /v1/users/{userId}/notifications/{eventId}/read", "GET /v1/channels/{channel}/messages", "GET /v1/route",
                "GET /sdk/{version}/{file}", "GET /sdk/{file}", "PUT /v1/me/preferences", "PUT /v1/users/{userId}/preferences",
                "GET /v1/me/preferences");
    }

    @Test
    void swaggerUiIsServedInDevelopmentOnly() {
        devProducer = HeraldStack.start(ProducerApiApplication.class, ProducerApiApplication.CONFIG_NAME,
                Map.of("herald.dev.enabled", "true"));
        String dev = HeraldStack.baseUrl(devProducer);
        Http.Response page = Http.get(dev + "/swagger-ui/", null);
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.raw().body()).contains("swagger-ui-bundle.js", "swagger-initializer.js");
        Http.Response initializer = Http.get(dev + "/swagger-ui/swagger-initializer.js", null);
        assertThat(initializer.status()).isEqualTo(200);
        assertThat(initializer.raw().body()).as("Herald's initializer, not the webjar's").contains("'../v3/api-docs'")
                .doesNotContain("petstore");
        // The largest file, through producer-api's Netty front to its internal web server.
        Http.Response bundle = Http.get(dev + "/swagger-ui/swagger-ui-bundle.js", null);
        assertThat(bundle.status()).isEqualTo(200);
        assertThat(bundle.raw().body().length()).isGreaterThan(1_000_000);
        assertThat(Http.get(dev + "/swagger-ui", null).header("Location")).endsWith("/swagger-ui/");
        assertThat(Http.get(dev + "/v3/api-docs", null).status()).isEqualTo(200);

        for (String url : List.of(dev, stack.producerUrl(), stack.storeUrl(), Gateways.shared().get(0).baseUrl())) {
            assertThat(Http.get(url + "/webjars/swagger-ui/5.35.0/index.html", null).status())
                    .as("the webjar's own page on %s", url).isEqualTo(404);
        }
        for (String url : List.of(stack.producerUrl(), stack.storeUrl(), Gateways.shared().get(0).baseUrl())) {
            assertThat(Http.get(url + "/swagger-ui/", null).status()).as("%s without herald.dev.enabled", url).isEqualTo(404);
            assertThat(Http.get(url + "/swagger-ui/swagger-ui-bundle.js", null).status()).isEqualTo(404);
        }
    }

    private static void assertValid(String location) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIParser().readLocation(location, null, options);
        assertThat(result.getMessages()).as(location).isEmpty();
        OpenAPI api = result.getOpenAPI();
        assertThat(api).as(location).isNotNull();
        assertThat(api.getSpecVersion()).as(location).isEqualTo(SpecVersion.V31);
        assertThat(api.getOpenapi()).isEqualTo("3.1.0");
        assertThat(api.getPaths()).isNotEmpty();
    }

    /** What the calls need to exist first: a user with a notification in the inbox, a channel with a message. */
    static final class Fixture {

        final String user = HeraldStack.newUser("docs");
        final String otherUser = HeraldStack.newUser("docs");
        final String eventId;
        final String userToken;

        Fixture(HeraldStack stack) {
            eventId = stack.send(user, "documented");
            stack.awaitInbox(user, 1);
            userToken = stack.tokenFor(user, List.of("*"));
        }

        /** A path parameter's value for a valid call. */
        String pathValue(String name) {
            return switch (name) {
                case "userId" -> user;
                case "eventId" -> eventId;
                case "channel" -> CHANNEL;
                case "version" -> sdkVersion();
                case "file" -> "herald.js";
                default -> throw new AssertionError("no value for path parameter " + name + ": add one to the test");
            };
        }

        /** The browser SDK's version, which the store serves under /sdk/. */
        private static String sdkVersion() {
            try {
                return Documents.JSON.readTree(Files.readString(Path.of("..", "clients", "browser", "package.json")))
                        .get("version").asString();
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The document's example body, for this test's users. */
        JsonNode body(JsonNode example) {
            JsonNode copy = example.deepCopy();
            replaceUsers(copy);
            return copy;
        }

        private void replaceUsers(JsonNode node) {
            if (node instanceof ObjectNode object) {
                for (Iterator<Map.Entry<String, JsonNode>> it = object.properties().iterator(); it.hasNext();) {
                    Map.Entry<String, JsonNode> member = it.next();
                    if (member.getValue().isString()) {
                        String replaced = user(member.getValue().asString());
                        if (replaced != null) {
                            object.put(member.getKey(), replaced);
                        }
                    }
                    else {
                        replaceUsers(member.getValue());
                    }
                }
            }
            else if (node != null && node.isArray()) {
                tools.jackson.databind.node.ArrayNode array = (tools.jackson.databind.node.ArrayNode) node;
                for (int i = 0; i < array.size(); i++) {
                    String replaced = array.get(i).isString() ? user(array.get(i).asString()) : null;
                    if (replaced != null) {
                        array.set(i, array.stringNode(replaced));
                    }
                    else {
                        replaceUsers(array.get(i));
                    }
                }
            }
        }

        private String user(String example) {
            return switch (example) {
                case "alice" -> user;
                case "bob" -> otherUser;
                default -> null;
            };
        }
    }

    /** One documented operation of one service, and the calls the test makes to it. */
    static final class Call {

        private final Service service;
        private final JsonNode document;
        private final String template;
        private final String method;
        private final JsonNode operation;
        private final String pointer;
        private final Fixture fixture;
        private final List<JsonNode> parameters = new ArrayList<>();

        Call(Service service, JsonNode document, String template, String method, JsonNode operation, Fixture fixture) {
            this.service = service;
            this.document = document;
            this.template = template;
            this.method = method;
            this.operation = operation;
            this.pointer = "/paths/" + Documents.escape(template) + "/" + method;
            this.fixture = fixture;
            operation.path("parameters").forEach(parameter -> parameters.add(resolve(parameter).node()));
        }

        private String name() {
            return method.toUpperCase() + " " + template + " (" + service.document() + ")";
        }

        /** A call as the document describes it: the right credentials, the example body. */
        void assertValidCallSucceeds() {
            // A 503 (documented) passes: Kafka or the gateways' group settling after another test.
            Http.Response response = await().atMost(Duration.ofSeconds(20))
                    .until(() -> send(credentials(), body(), Map.of()), answer -> answer.status() != 503);
            assertThat(response.status()).as("%s: a valid call: %s", name(), response).isBetween(200, 299);
            assertDocumented(response, "a valid call");
        }

        /** Without credentials, and with bad input, where the operation takes any: documented refusals. */
        void assertRefusalsAreDocumented() {
            if (!security().isEmpty()) {
                Http.Response anonymous = send(null, body(), Map.of());
                assertThat(anonymous.status()).as("%s without credentials: %s", name(), anonymous).isEqualTo(401);
                assertDocumented(anonymous, "without credentials");
                Http.Response forged = send("not-a-key-" + UUID.randomUUID(), body(), Map.of());
                assertThat(forged.status()).as("%s with a wrong bearer: %s", name(), forged).isEqualTo(401);
                assertDocumented(forged, "with a wrong bearer");
            }
            List<String> scopes = apiKeyScopes();
            if (!scopes.isEmpty() && !scopes.contains("send")) {
                Http.Response unscoped = send(HeraldStack.SEND_ONLY_API_KEY, body(), Map.of());
                assertThat(unscoped.status()).as("%s with a key without scope %s: %s", name(), scopes, unscoped).isEqualTo(403);
                assertDocumented(unscoped, "with a key that lacks the scope");
            }
            if (operation.has("requestBody")) {
                Http.Response unknownField = send(credentials(), Documents.JSON.readTree("{\"bogus\":1}"), Map.of());
                assertThat(unknownField.status()).as("%s with a bad body: %s", name(), unknownField).isEqualTo(400);
                assertDocumented(unknownField, "with a bad body");
                Http.Response tooLarge = send(credentials(), Documents.JSON.createObjectNode().put("title", "x".repeat(300_000)), Map.of());
                assertThat(tooLarge.status()).as("%s with a body over 256KB: %s", name(), tooLarge).isEqualTo(413);
                assertDocumented(tooLarge, "with a body over 256KB");
            }
            if (parameters.stream().anyMatch(p -> p.get("name").asString().equals("limit"))) {
                Http.Response badLimit = send(credentials(), body(), Map.of("limit", "0"));
                assertThat(badLimit.status()).as("%s with limit=0: %s", name(), badLimit).isEqualTo(400);
                assertDocumented(badLimit, "with limit=0");
            }
            if (parameters.stream().anyMatch(p -> p.get("name").asString().equals("Idempotency-Key"))) {
                Http.Response badKey = send(credentials(), body(), Map.of("Idempotency-Key", "with space"));
                assertThat(badKey.status()).as("%s with a bad Idempotency-Key: %s", name(), badKey).isEqualTo(400);
                assertDocumented(badKey, "with a bad Idempotency-Key");
            }
        }

        /** The status, content type, headers and body of {@code response} are those the document gives. */
        private void assertDocumented(Http.Response response, String what) {
            String status = Integer.toString(response.status());
            JsonNode responses = operation.get("responses");
            assertThat(responses.has(status)).as("%s %s: status %s is not documented (%s)", name(), what, status,
                    response).isTrue();
            Located documented = resolve(new Located(responses.get(status), pointer + "/responses/" + status));
            documented.node().path("headers").propertyNames().forEach(header -> assertThat(response.header(header))
                    .as("%s %s: documented header %s", name(), what, header).isNotNull());
            JsonNode content = documented.node().get("content");
            if (content == null) {
                return;
            }
            String contentType = response.header("Content-Type");
            assertThat(contentType).as("%s %s: a content type", name(), what).isNotNull();
            String mediaType = contentType.split(";")[0].trim();
            assertThat(content.has(mediaType)).as("%s %s: content type %s is not documented", name(), what, contentType).isTrue();
            if (mediaType.contains("json")) {
                var errors = Documents.validate(service.document(),
                        documented.pointer() + "/content/" + Documents.escape(mediaType) + "/schema", response.raw().body());
                assertThat(errors).as("%s %s: the body %s against its documented schema", name(), what, response.raw().body())
                        .isEmpty();
            }
        }

        private Http.Response send(String bearer, JsonNode body, Map<String, String> extra) {
            String path = template;
            for (JsonNode parameter : parameters) {
                if (parameter.get("in").asString().equals("path")) {
                    String name = parameter.get("name").asString();
                    path = path.replace("{" + name + "}", fixture.pathValue(name));
                }
            }
            StringBuilder url = new StringBuilder(service.url()).append(path);
            List<String> headers = new ArrayList<>();
            char separator = '?';
            for (Map.Entry<String, String> parameter : extra.entrySet()) {
                JsonNode documented = parameters.stream().filter(p -> p.get("name").asString().equals(parameter.getKey()))
                        .findFirst().orElseThrow();
                if (documented.get("in").asString().equals("header")) {
                    headers.add(parameter.getKey());
                    headers.add(parameter.getValue());
                }
                else {
                    url.append(separator).append(parameter.getKey()).append('=').append(parameter.getValue());
                    separator = '&';
                }
            }
            return switch (method) {
                case "get" -> Http.get(url.toString(), bearer);
                case "put" -> Http.put(url.toString(), bearer, body == null ? new byte[0] : Documents.JSON.writeValueAsBytes(body));
                case "post" -> Http.post(url.toString(), bearer, body == null ? null : Documents.JSON.writeValueAsBytes(body),
                        headers.toArray(String[]::new));
                default -> throw new AssertionError(name() + ": the test does not call " + method + " yet");
            };
        }

        private JsonNode body() {
            JsonNode example = operation.path("requestBody").path("content").path("application/json").get("example");
            if (operation.has("requestBody")) {
                assertThat(example).as("%s: its request body needs an example", name()).isNotNull();
            }
            return example == null ? null : fixture.body(example);
        }

        /** The operation's security requirements, or the document's. */
        private JsonNode security() {
            return operation.has("security") ? operation.get("security") : document.path("security");
        }

        private List<String> apiKeyScopes() {
            List<String> scopes = new ArrayList<>();
            for (JsonNode requirement : security()) {
                requirement.path("apiKey").forEach(scope -> scopes.add(scope.asString()));
            }
            return scopes;
        }

        /** The bearer of the operation's first security requirement: an API key (all scopes) or the user's token. */
        private String credentials() {
            if (security().isEmpty() || security().get(0).isEmpty()) {
                return null;
            }
            String scheme = security().get(0).propertyNames().iterator().next();
            return switch (scheme) {
                case "apiKey" -> HeraldStack.API_KEY;
                case "userToken" -> fixture.userToken;
                default -> throw new AssertionError(name() + ": unknown security scheme " + scheme);
            };
        }

        private Located resolve(Located located) {
            Located at = located;
            while (at.node().has("$ref")) {
                String ref = at.node().get("$ref").asString();
                assertThat(ref).as("%s: a $ref within the document", name()).startsWith("#/");
                String target = ref.substring(1);
                at = new Located(document.at(target), target);
                assertThat(at.node().isMissingNode()).as("%s: %s resolves", name(), ref).isFalse();
            }
            return at;
        }

        private Located resolve(JsonNode node) {
            return resolve(new Located(node, ""));
        }
    }

    record Located(JsonNode node, String pointer) {
    }
}
