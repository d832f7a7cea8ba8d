package dev.herald.store.sdk;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.herald.support.ApiException;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The browser SDK for pages to load from the store they talk to: {@code /sdk/<version>/<file>}
 * (e.g. {@code /sdk/1.0.0/herald.js}, whose imports resolve in the same folder, or
 * {@code herald.iife.js} for a script tag) never changes, so it is cached for a year;
 * {@code /sdk/<file>} is the latest (the one this store holds), revalidated after a minute. Public
 * code: any origin may load it. Anything else is a 404 problem.
 */
@RestController
class SdkController {

    private static final Logger log = LoggerFactory.getLogger(SdkController.class);
    static final MediaType JAVASCRIPT = MediaType.parseMediaType("text/javascript;charset=utf-8");
    static final CacheControl VERSIONED = CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable();
    static final CacheControl LATEST = CacheControl.maxAge(Duration.ofSeconds(60)).mustRevalidate();

    private final Optional<SdkFiles> sdk;

    SdkController() {
        this(SdkFiles.load(SdkController.class.getClassLoader()));
    }

    SdkController(Optional<SdkFiles> sdk) {
        this.sdk = sdk;
        if (sdk.isPresent()) {
            log.info("Serving browser SDK {} at /sdk/{}/ and /sdk/: {}", sdk.get().version(), sdk.get().version(),
                    String.join(", ", sdk.get().names()));
        }
        else {
            log.warn("This build holds no browser SDK (built with -Dnpm.skip?): /sdk/ answers 404");
        }
    }

    @GetMapping("/sdk/{*path}")
    ResponseEntity<byte[]> get(@PathVariable String path,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch) {
        SdkFiles files = sdk.orElseThrow(() -> ApiException.notFound(
                "this notification-store was built without the browser SDK"));
        List<String> segments = Arrays.stream(path.split("/", -1)).skip(1).toList(); // path starts with '/'
        boolean versioned = segments.size() == 2;
        if (segments.size() > 2 || segments.isEmpty() || versioned && !segments.get(0).equals(files.version())) {
            throw notFound(files, path);
        }
        SdkFiles.SdkFile file = files.file(segments.get(segments.size() - 1)).orElseThrow(() -> notFound(files, path));
        boolean unchanged = matches(ifNoneMatch, file.etag());
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(unchanged ? HttpStatus.NOT_MODIFIED : HttpStatus.OK)
                .eTag(file.etag())
                .cacheControl(versioned ? VERSIONED : LATEST)
                .header(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*")
                .header("X-Content-Type-Options", "nosniff");
        return unchanged ? answer.build() : answer.contentType(JAVASCRIPT).body(file.content());
    }

    /** If-None-Match compares weakly (RFC 9110 13.1.2): {@code W/"x"} matches {@code "x"}. */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        return Arrays.stream(ifNoneMatch.split(",")).map(String::trim)
                .anyMatch(tag -> tag.equals("*") || (tag.startsWith("W/") ? tag.substring(2) : tag).equals(etag));
    }

    private static ApiException notFound(SdkFiles files, String path) {
        return ApiException.notFound("no browser SDK file at /sdk" + path + "; this store serves version " + files.version()
                + " at /sdk/" + files.version() + "/<file> and /sdk/<file>, files: " + String.join(", ", files.names()));
    }
}
