package dev.herald.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;

/**
 * The documents this jar carries (copied from {@code docs/api} by the build) load as each service
 * serves them; a name without a document stops the service's start, naming the document. (The
 * integration tests hold the documents against the running services.)
 */
class ApiDocumentsTests {

    @Test
    void servesEachServicesDocumentAsJsonAndAsWritten() {
        for (String service : new String[] { "producer-api", "notification-store", "push-gateway" }) {
            ApiDocuments documents = new ApiDocuments(service, false);

            JsonNode json = JsonMapper.builder().build().readTree(documents.json().getBody());
            assertThat(json.get("openapi").asString()).isEqualTo("3.1.0");
            assertThat(json.at("/info/title").asString()).contains(service);
            assertThat(documents.json().getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
            assertThat(new String(documents.yaml().getBody(), StandardCharsets.UTF_8)).startsWith("openapi: 3.1.0");
            assertThat(new String(documents.envelopeSchema().getBody(), StandardCharsets.UTF_8))
                    .contains("\"$id\": \"https://herald.dev/schema/envelope-v1.schema.json\"");
        }
    }

    @Test
    void refusesToStartWithoutItsDocument() {
        assertThatThrownBy(() -> new ApiDocuments("no-such-service", false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no-such-service.openapi.yaml");
    }
}
