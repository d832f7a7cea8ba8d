package dev.herald.store.receipts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WebhookSignatureTests {

    private static final String SECRET = "whsec-0123456789abcdef";
    private static final String BODY = "{\"kind\":\"unseen\"}";

    @Test
    void signsTheTimestampAndTheBodyAsStripeDoes() {
        // Computed independently: python3 -c 'import hmac,hashlib; print(hmac.new(b"whsec-0123456789abcdef",
        //   b"1767225600.{\"kind\":\"unseen\"}", hashlib.sha256).hexdigest())'
        assertThat(WebhookSignature.header(SECRET, 1767225600L, BODY))
                .isEqualTo("t=1767225600,v1=a7a14c07b9d7a98be54deda21ddbf1bf681ae5bba62750e2abebdc2b37246936");
    }

    @Test
    void verifiesItsOwnSignatureWithinTheTolerance() {
        String header = WebhookSignature.header(SECRET, 1767225600L, BODY);

        assertThat(WebhookSignature.verify(SECRET, header, BODY, 1767225600L + 299, 300)).isTrue();
        assertThat(WebhookSignature.verify(SECRET, header, BODY, 1767225600L + 301, 300)).as("too old").isFalse();
    }

    @Test
    void refusesAnotherBodySecretOrAMangledHeader() {
        String header = WebhookSignature.header(SECRET, 1767225600L, BODY);

        assertThat(WebhookSignature.verify(SECRET, header, BODY + " ", 1767225600L, 300)).isFalse();
        assertThat(WebhookSignature.verify("another-secret-0123456789", header, BODY, 1767225600L, 300)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, header.replace("t=1767225600", "t=1767225601"), BODY, 1767225600L, 300))
                .as("the timestamp is signed").isFalse();
        assertThat(WebhookSignature.verify(SECRET, "v1=abc", BODY, 1767225600L, 300)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, "t=x,v1=abc", BODY, 1767225600L, 300)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, null, BODY, 1767225600L, 300)).isFalse();
    }
}
