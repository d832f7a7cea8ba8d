package dev.herald.it.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.herald.it.gateway.Gateways;
import dev.herald.it.gateway.TestGateway;
import dev.herald.it.gateway.WsClient;
import dev.herald.it.support.HeraldStack;
import dev.herald.producer.ProducerApiApplication;
import dev.herald.schema.frames.ServerFrame;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Every service can serve HTTPS (and a gateway WSS) from configured certificates through a Spring
 * SSL bundle: with a self-signed certificate made for the test, they are reached by a client that
 * trusts it and refused by one that does not.
 */
class TlsIntegrationTests {

    private static final String PASSWORD = "test-keystore-password";

    static Path keystore;
    private static ConfigurableApplicationContext producer;

    @BeforeAll
    static void startOverTls() throws Exception {
        keystore = selfSignedKeystore();
        producer = HeraldStack.start(ProducerApiApplication.class, ProducerApiApplication.CONFIG_NAME, tlsProperties(keystore));
    }

    @AfterAll
    static void stop() {
        producer.close();
    }

    /** A PKCS12 keystore with a self-signed certificate for localhost/127.0.0.1, made by the JDK's keytool. */
    static Path selfSignedKeystore() throws Exception {
        Path file = Files.createTempDirectory("herald-tls").resolve("herald.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "herald", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        return file;
    }

    /** The settings that make a Herald service serve TLS from {@code keystore}: what the README documents. */
    static Map<String, Object> tlsProperties(Path keystore) {
        return Map.of(
                "server.ssl.bundle", "herald",
                "spring.ssl.bundle.jks.herald.keystore.location", "file:" + keystore,
                "spring.ssl.bundle.jks.herald.keystore.password", PASSWORD,
                "spring.ssl.bundle.jks.herald.keystore.type", "PKCS12");
    }

    /** An SSL context that trusts exactly the certificate in {@code keystore}. */
    static SSLContext trusting(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    @Test
    void servesHttpsToAClientThatTrustsTheCertificate() throws Exception {
        int port = HeraldStack.port(producer);
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(keystore)).build();

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"");
    }

    @Test
    void aGatewayServesWssWithTheSameSettings() throws Exception {
        Gateways.shared();
        TestGateway secure = Gateways.startExtra(tlsProperties(keystore));
        try {
            Gateways.awaitStable();
            assertThat(secure.wsUrl()).startsWith("wss://");
            int partition = secure.ownedPartitions().iterator().next();
            String user = Gateways.userOnPartition("tls", partition);
            HttpClient client = HttpClient.newBuilder().sslContext(trusting(keystore)).build();

            WsClient session = WsClient.connect(client, secure.wsUrl().replace("127.0.0.1", "localhost"));
            session.auth(HeraldStack.get().tokenFor(user), null);

            assertThat(session.awaitFrame(ServerFrame.Welcome.class).partition()).isEqualTo(partition);
            HeraldStack.get().send(user, "Over TLS");
            assertThat(session.awaitNotifications(1).get(0).event().title()).isEqualTo("Over TLS");
            session.close();
        }
        finally {
            secure.stop();
            Gateways.awaitStable();
        }
    }

    @Test
    void refusesAClientThatDoesNotTrustIt() {
        int port = HeraldStack.port(producer);
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("PKIX path building failed");
    }
}
