package dev.herald.store.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.herald.support.ApiException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

class SdkControllerTests {

    private static final byte[] HERALD = "export class Herald {}\n".getBytes(StandardCharsets.UTF_8);
    private final SdkController controller = new SdkController(Optional.of(SdkFiles.of("1.0.0",
            Map.of("herald.js", HERALD, "herald.iife.js", "var Herald = {};".getBytes(StandardCharsets.UTF_8)))));

    @Test
    void aVersionedFileIsCachedForAYearAndTheLatestRevalidatedAfterAMinute() {
        ResponseEntity<byte[]> versioned = controller.get("/1.0.0/herald.js", null);
        assertThat(versioned.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(versioned.getBody()).isEqualTo(HERALD);
        assertThat(versioned.getHeaders().getCacheControl()).isEqualTo("max-age=31536000, public, immutable");
        assertThat(versioned.getHeaders().getContentType()).hasToString("text/javascript;charset=utf-8");
        assertThat(versioned.getHeaders().getAccessControlAllowOrigin()).isEqualTo("*");
        assertThat(versioned.getHeaders().getETag()).isEqualTo(SdkFiles.etag(HERALD)).startsWith("\"").doesNotStartWith("W/");

        ResponseEntity<byte[]> latest = controller.get("/herald.js", null);
        assertThat(latest.getBody()).isEqualTo(HERALD);
        assertThat(latest.getHeaders().getCacheControl()).isEqualTo("max-age=60, must-revalidate");
        assertThat(latest.getHeaders().getETag()).isEqualTo(versioned.getHeaders().getETag());
    }

    @Test
    void aMatchingIfNoneMatchGets304WithoutABody() {
        String etag = SdkFiles.etag(HERALD);
        for (String ifNoneMatch : new String[] { etag, "W/" + etag, "\"other\", " + etag, "*" }) {
            ResponseEntity<byte[]> answer = controller.get("/1.0.0/herald.js", ifNoneMatch);
            assertThat(answer.getStatusCode()).as(ifNoneMatch).isEqualTo(HttpStatus.NOT_MODIFIED);
            assertThat(answer.getBody()).isNull();
            assertThat(answer.getHeaders().getETag()).isEqualTo(etag);
        }
        assertThat(controller.get("/1.0.0/herald.js", "\"other\"").getStatusCode()).isEqualTo(HttpStatus.OK);
    }

    @Test
    void anythingButAFileOfTheBundledVersionIsNotFound() {
        for (String path : new String[] { "/", "/1.0.0", "/1.0.0/", "/2.0.0/herald.js", "/1.0.0/nope.js", "/1.0.0/x/herald.js",
                "/1.0.0/../herald.js", "/..", "/index.json", "/1.0.0/index.json" }) {
            assertThatThrownBy(() -> controller.get(path, null)).as(path).isInstanceOfSatisfying(ApiException.class,
                    ex -> {
                        assertThat(ex.status()).isEqualTo(HttpStatus.NOT_FOUND);
                        assertThat(ex.getMessage()).contains("1.0.0");
                    });
        }
    }

    @Test
    void aStoreBuiltWithoutTheSdkAnswers404() throws Exception {
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            Optional<SdkFiles> none = SdkFiles.load(empty);
            assertThat(none).isEmpty();
            assertThatThrownBy(() -> new SdkController(none).get("/herald.js", null)).isInstanceOfSatisfying(ApiException.class,
                    ex -> assertThat(ex.status()).isEqualTo(HttpStatus.NOT_FOUND));
        }
    }

    @Test
    void theEtagFollowsTheContent() {
        assertThat(SdkFiles.etag(HERALD)).isEqualTo(SdkFiles.etag(HERALD.clone()))
                .isNotEqualTo(SdkFiles.etag("export class Herald { }\n".getBytes(StandardCharsets.UTF_8)));
    }
}
