package io.accessbridge.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.accessbridge.inventory.DeviceConfig;
import io.accessbridge.inventory.SecretRef;
import io.accessbridge.simulator.SelfSignedKeyStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DeviceTls} with the JDK {@link HttpClient} (what v3 devices are polled with) against real
 * https servers on loopback: only the pinned certificate or the truststore's is accepted, the host
 * name is checked unless {@code verifyHostname} is false (per client, without the JVM-wide switch),
 * and truststore mistakes are reported without the password.
 */
class DeviceTlsTest {

    private static final String GLOBAL_SWITCH = "jdk.internal.httpclient.disableHostnameVerification";

    @TempDir
    Path dir;

    private final List<HttpsServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    private URI serve(SelfSignedKeyStore.Generated keyStore) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.setHttpsConfigurator(new HttpsConfigurator(
                SelfSignedKeyStore.serverSslContext(keyStore.path(), keyStore.password())));
        server.createContext("/", exchange -> {
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        servers.add(server);
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    private static DeviceConfig device(URI address, DeviceConfig.Tls tls) {
        return new DeviceConfig("gate", DeviceConfig.Generation.V3, address, null, null, null, null, null,
                new DeviceConfig.Channels(true, false, true, true), tls, new SecretRef("TOKEN", null), null, null);
    }

    private static DeviceConfig.Tls pin(SelfSignedKeyStore.Generated cert, boolean verifyHostname) throws Exception {
        return new DeviceConfig.Tls(null, null, DeviceTls.sha256(cert.certificate()), verifyHostname);
    }

    private static String get(URI address, DeviceTls tls) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(tls.sslContext())
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(address.resolve("/x"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    private SelfSignedKeyStore.Generated cert(String name) throws IOException {
        return SelfSignedKeyStore.generate(dir.resolve(name + ".p12"), "pw-" + name);
    }

    private SelfSignedKeyStore.Generated certFor(String name, String host, Duration validity) throws IOException {
        return SelfSignedKeyStore.generate(dir.resolve(name + ".p12"), "pw-" + name, host, List.of(host), List.of(),
                validity);
    }

    @Test
    void pinnedCertificateIsAcceptedAndAnyOtherRefused() throws Exception {
        SelfSignedKeyStore.Generated device = cert("device");
        SelfSignedKeyStore.Generated stranger = cert("stranger");
        URI address = serve(device);

        assertThat(get(address, DeviceTls.of(device(address, pin(device, true)), Map.of()))).isEqualTo("200 ok");
        assertThatThrownBy(() -> get(address, DeviceTls.of(device(address, pin(stranger, true)), Map.of())))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("does not match the pinned SHA-256 fingerprint");
    }

    @Test
    void pinWithColonsAndUpperCaseIsTheSamePin() throws Exception {
        SelfSignedKeyStore.Generated device = cert("device");
        URI address = serve(device);
        String hex = DeviceTls.sha256(device.certificate()).toUpperCase();
        StringBuilder colons = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 2) {
            colons.append(i == 0 ? "" : ":").append(hex, i, i + 2);
        }
        DeviceConfig.Tls tls = new DeviceConfig.Tls(null, null, colons.toString(), true);

        assertThat(get(address, DeviceTls.of(device(address, tls), Map.of()))).isEqualTo("200 ok");
    }

    @Test
    void truststoreDecidesWhichCertificateIsTrusted() throws Exception {
        SelfSignedKeyStore.Generated device = cert("device");
        SelfSignedKeyStore.Generated stranger = cert("stranger");
        URI address = serve(device);
        Path trusting = device.writeTrustStore(dir.resolve("trust.p12"), "store-pw");
        Path other = stranger.writeTrustStore(dir.resolve("other.p12"), "store-pw");
        SecretRef password = new SecretRef("TRUST_PW", null);
        Map<String, String> env = Map.of("TRUST_PW", "store-pw");

        DeviceTls good = DeviceTls.of(device(address, new DeviceConfig.Tls(trusting.toString(), password, null, true)), env);
        DeviceTls bad = DeviceTls.of(device(address, new DeviceConfig.Tls(other.toString(), password, null, true)), env);

        assertThat(get(address, good)).isEqualTo("200 ok");
        assertThatThrownBy(() -> get(address, bad)).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void hostNameIsCheckedPerClientUnlessVerifyHostnameIsFalse() throws Exception {
        SelfSignedKeyStore.Generated elsewhere = certFor("elsewhere", "device.example", Duration.ofDays(30));
        URI address = serve(elsewhere);
        Path trust = elsewhere.writeTrustStore(dir.resolve("elsewhere-trust.p12"), "store-pw");
        SecretRef password = new SecretRef("TRUST_PW", null);
        Map<String, String> env = Map.of("TRUST_PW", "store-pw");

        assertThatThrownBy(() -> get(address, DeviceTls.of(device(address, pin(elsewhere, true)), Map.of())))
                .isInstanceOf(SSLHandshakeException.class).hasMessageContaining("127.0.0.1");
        assertThatThrownBy(() -> get(address, DeviceTls.of(
                device(address, new DeviceConfig.Tls(trust.toString(), password, null, true)), env)))
                .isInstanceOf(SSLHandshakeException.class).hasMessageContaining("127.0.0.1");

        assertThat(get(address, DeviceTls.of(device(address, pin(elsewhere, false)), Map.of()))).isEqualTo("200 ok");
        assertThat(get(address, DeviceTls.of(
                device(address, new DeviceConfig.Tls(trust.toString(), password, null, false)), env)))
                .isEqualTo("200 ok");
        assertThat(System.getProperty(GLOBAL_SWITCH)).as("no JVM-wide switch").isNull();
    }

    @Test
    void verifyHostnameFalseStillRefusesAnUntrustedCertificate() throws Exception {
        SelfSignedKeyStore.Generated device = cert("device");
        SelfSignedKeyStore.Generated stranger = cert("stranger");
        URI address = serve(device);

        assertThatThrownBy(() -> get(address, DeviceTls.of(device(address, pin(stranger, false)), Map.of())))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("does not match the pinned SHA-256 fingerprint");
    }

    @Test
    void pinnedCertificateOutsideItsValidityIsRefused() throws Exception {
        // valid from 60 to 30 minutes ago
        SelfSignedKeyStore.Generated expired = certFor("expired", "localhost", Duration.ofMinutes(30));
        URI address = serve(expired);

        assertThatThrownBy(() -> get(address, DeviceTls.of(device(address, pin(expired, false)), Map.of())))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("outside its validity dates");
    }

    @Test
    void plainHttpAndHttpsWithoutATlsBlockAreNotTrustedByTheInventory() {
        DeviceTls plain = DeviceTls.of(device(URI.create("http://10.0.0.1"), null), Map.of());
        DeviceTls defaults = DeviceTls.of(device(URI.create("https://10.0.0.1"), null), Map.of());

        assertThat(plain.https()).isFalse();
        assertThat(plain.trustsByInventory()).isFalse();
        assertThat(defaults.https()).isTrue();
        assertThat(defaults.trustsByInventory()).isFalse();
        assertThat(defaults.verifyHostname()).isTrue();
    }

    @Test
    void truststoreMistakesNameTheFileAndNeverThePassword() throws Exception {
        Path store = cert("device").writeTrustStore(dir.resolve("trust.p12"), "right-password");
        Path notAStore = Files.writeString(dir.resolve("notes.p12"), "not a keystore");
        Path empty = dir.resolve("empty.p12");
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        try (var out = Files.newOutputStream(empty)) {
            ks.store(out, "right-password".toCharArray());
        }
        SecretRef ref = new SecretRef("TRUST_PW", null);
        Map<String, String> wrong = Map.of("TRUST_PW", "wrong-password-123");
        Map<String, String> right = Map.of("TRUST_PW", "right-password");

        assertThat(DeviceTls.loadTrustStore(store.toString(), ref, right).size()).isEqualTo(1);
        assertThatThrownBy(() -> DeviceTls.loadTrustStore(store.toString(), ref, wrong))
                .hasMessage("file " + store + " cannot be opened with tls.truststorePassword (env:TRUST_PW): "
                        + "wrong password, or not a PKCS12 or JKS truststore")
                .hasMessageNotContaining("wrong-password-123");
        assertThatThrownBy(() -> DeviceTls.loadTrustStore(notAStore.toString(), ref, right))
                .hasMessageContaining("file " + notAStore).hasMessageNotContaining("right-password");
        assertThatThrownBy(() -> DeviceTls.loadTrustStore(empty.toString(), ref, right))
                .hasMessage("file " + empty + " holds no certificate");
        assertThatThrownBy(() -> DeviceTls.loadTrustStore(dir.resolve("absent.p12").toString(), ref, right))
                .hasMessage("file " + dir.resolve("absent.p12") + " cannot be read");
    }
}
