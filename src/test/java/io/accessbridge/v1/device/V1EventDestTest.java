package io.accessbridge.v1.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.accessbridge.inventory.DeviceConfig;
import java.net.URI;
import org.junit.jupiter.api.Test;

class V1EventDestTest {

    private static DeviceConfig device(String id, String address) {
        return new DeviceConfig(id, DeviceConfig.Generation.V1, URI.create(address), null, null, null, null, null,
                new DeviceConfig.Channels(true, true, true, true), null, null, null, null);
    }

    @Test
    void isThePublicUrlThePushPathAndTheDeviceId() {
        V1EventDest d = V1EventDest.of("http://10.0.4.2:8080/", "/v1/events/", device("lobby-in", "http://10.0.4.21:8090"));
        assertThat(d.refusal()).isNull();
        assertThat(d.url()).isEqualTo("http://10.0.4.2:8080/v1/events/lobby-in");
    }

    @Test
    void keepsAPathPrefixOfThePublicUrl() {
        assertThat(V1EventDest.of("https://gw.example/bridge", "v1/events", device("a", "http://10.0.0.1")).url())
                .isEqualTo("https://gw.example/bridge/v1/events/a");
    }

    @Test
    void refusesALoopbackUrlForADeviceElsewhere() {
        for (String url : new String[] {"http://localhost:8080", "http://127.0.0.1:8080", "http://[::1]:8080"}) {
            V1EventDest d = V1EventDest.of(url, "/v1/events", device("a", "http://10.0.4.21:8090"));
            assertThat(d.url()).as(url).isNull();
            assertThat(d.refusal()).as(url).contains("loopback");
        }
    }

    @Test
    void allowsALoopbackUrlForADeviceOnLoopback() {
        assertThat(V1EventDest.of("http://127.0.0.1:8080", "/v1/events", device("a", "http://127.0.0.1:9000")).url())
                .isEqualTo("http://127.0.0.1:8080/v1/events/a");
        assertThat(V1EventDest.of("http://localhost:8080", "/v1/events", device("a", "http://localhost:9000")).url())
                .isNotNull();
    }

    @Test
    void refusesMissingWildcardOrNonHttpUrls() {
        DeviceConfig dev = device("a", "http://10.0.4.21:8090");
        assertThat(V1EventDest.of(null, "/v1/events", dev).refusal()).contains("not set");
        assertThat(V1EventDest.of("http://0.0.0.0:8080", "/v1/events", dev).refusal()).contains("wildcard");
        assertThat(V1EventDest.of("ftp://bridge:21", "/v1/events", dev).refusal()).contains("http");
        assertThat(V1EventDest.of("http://b/" + "x".repeat(1100), "/v1/events", dev).refusal()).contains("1024");
    }
}
