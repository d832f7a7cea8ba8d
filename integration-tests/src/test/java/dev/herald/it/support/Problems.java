package dev.herald.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;

/** Assertions on RFC 9457 problem+json answers. */
public final class Problems {

    private Problems() {
    }

    /**
     * {@code response} is a problem+json with this status, a title and a detail; when {@code fields}
     * are given, its {@code errors} name exactly those fields, each with a message.
     */
    public static void assertProblem(Http.Response response, int status, String... fields) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(problem.get("detail").asString()).isNotBlank();
        if (fields.length > 0) {
            assertThat(problem.get("errors").valueStream().map(e -> e.get("field").asString()).toList())
                    .as(response.toString()).containsExactlyInAnyOrder(fields);
            problem.get("errors").forEach(e -> assertThat(e.get("message").asString()).isNotBlank());
        }
    }
}
