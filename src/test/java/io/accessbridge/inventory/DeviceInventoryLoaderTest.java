package io.accessbridge.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.accessbridge.simulator.SelfSignedKeyStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceInventoryLoaderTest {

    @TempDir
    Path dir;
    private final DeviceInventoryLoader loader = new DeviceInventoryLoader(Map.of("GATE_TOKEN", "s3cret"));

    private Path write(String yaml) throws Exception {
        Path f = dir.resolve("devices.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void validInventoryIsLoadedWithDefaultsAndLookups() throws Exception {
        DeviceInventory inv = loader.load(write("""
                devices:
                  - id: lobby-in
                    generation: v1
                    address: http://10.0.4.21:8090
                    serialNumber: PS71HD01MC22C00014
                    door: Lobby
                    direction: in
                    timeZone: Europe/Berlin
                    channels: {websocket: true}
                  - id: gate
                    generation: v3
                    address: http://10.0.5.7
                    token: {env: GATE_TOKEN}
                    v3: {firstContact: "since:2024-01-01T00:00:00Z"}
                """));
        DeviceConfig lobby = inv.device("lobby-in").orElseThrow();
        assertThat(lobby.direction()).isEqualTo("IN");
        assertThat(lobby.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(lobby.channels().push()).isTrue();
        assertThat(lobby.channels().websocket()).isTrue();
        assertThat(inv.bySerial("PS71HD01MC22C00014").orElseThrow().id()).isEqualTo("lobby-in");
        assertThat(inv.byAddress("10.0.5.7").orElseThrow().id()).isEqualTo("gate");
        DeviceConfig gate = inv.device("gate").orElseThrow();
        assertThat(gate.v3().pageSize()).isEqualTo(100);
        assertThat(gate.v3().firstContact().mode()).isEqualTo(DeviceConfig.FirstContact.Mode.SINCE);
        assertThat(gate.token().resolve(Map.of("GATE_TOKEN", "s3cret"))).isEqualTo("s3cret");
        assertThat(gate.token().toString()).doesNotContain("s3cret");
    }

    @Test
    void anAddressSharedByDevicesNamesNoneOfThem() throws Exception {
        DeviceInventory inv = loader.load(write("""
                devices:
                  - id: nat-a
                    generation: v3
                    address: http://10.0.9.1:8081
                    token: {env: GATE_TOKEN}
                  - id: nat-b
                    generation: v3
                    address: http://10.0.9.1:8082
                    token: {env: GATE_TOKEN}
                  - id: alone
                    generation: v3
                    address: http://10.0.9.2
                    token: {env: GATE_TOKEN}
                """));
        assertThat(inv.byAddress("10.0.9.1")).isEmpty();
        assertThat(inv.sharedHosts()).containsExactly("10.0.9.1");
        assertThat(inv.byAddress("10.0.9.2").orElseThrow().id()).isEqualTo("alone");
        assertThat(inv.byId("nat-b").orElseThrow().id()).isEqualTo("nat-b");
    }

    @Test
    void missingFileIsAnEmptyInventory() {
        assertThat(loader.load(dir.resolve("absent.yaml")).devices()).isEmpty();
    }

    @Test
    void everyErrorNamesFileDeviceAndField() throws Exception {
        Path f = write("""
                devices:
                  - id: lobby-in
                    generation: v2
                    direction: sideways
                  - id: gate
                    generation: v3
                    address: ftp://10.0.5.7
                    token: plain-text-token
                  - id: gate
                    generation: v1
                    timeZone: Mars/Olympus
                    colour: red
                """);
        assertThatThrownBy(() -> loader.load(f))
                .isInstanceOf(InventoryException.class)
                .hasMessageContaining(f + ": device 'lobby-in': field 'generation': required, v1 or v3")
                .hasMessageContaining(f + ": device 'lobby-in': field 'direction': must be IN, OUT or none")
                .hasMessageContaining(f + ": device 'gate': field 'address': must be an http:// or https:// URL")
                .hasMessageContaining(f + ": device 'gate': field 'token': secrets are never written inline")
                .hasMessageContaining(f + ": device 'gate': field 'timeZone': not a time zone id")
                .hasMessageContaining(f + ": device 'gate': field 'colour': unknown field")
                .hasMessageNotContaining("plain-text-token");
    }

    @Test
    void duplicateIdsMissingSecretsAndHttpsWithoutTrustAreRefused() throws Exception {
        Path f = write("""
                devices:
                  - {id: a, generation: v1}
                  - {id: a, generation: v1}
                  - {id: b, generation: v3, address: "http://10.0.0.2", token: {env: NOT_SET}}
                  - {id: c, generation: v1, address: "https://10.0.0.3", channels: {websocket: true}}
                """);
        assertThatThrownBy(() -> loader.load(f))
                .hasMessageContaining("device 'a': field 'id': duplicate id")
                .hasMessageContaining("device 'b': field 'token': environment variable NOT_SET is not set")
                .hasMessageContaining("device 'c': field 'tls': required for an https device");
    }

    @Test
    void httpsTruststoreIsOpenedAtLoadAndAWrongPasswordIsReportedWithoutTheSecret() throws Exception {
        Path store = SelfSignedKeyStore.generate(dir.resolve("device.p12"), "key-pw")
                .writeTrustStore(dir.resolve("trust.p12"), "right-pw");
        Path notAStore = Files.writeString(dir.resolve("notes.p12"), "not a keystore");
        DeviceInventoryLoader right = new DeviceInventoryLoader(Map.of("GATE_TOKEN", "s3cret", "TRUST_PW", "right-pw"));
        DeviceInventoryLoader wrong = new DeviceInventoryLoader(Map.of("GATE_TOKEN", "s3cret", "TRUST_PW", "wr0ng-pw"));
        Path f = write("""
                devices:
                  - id: gate
                    generation: v3
                    address: https://10.0.5.7
                    token: {env: GATE_TOKEN}
                    tls: {truststore: '%s', truststorePassword: {env: TRUST_PW}}
                  - id: notes
                    generation: v3
                    address: https://10.0.5.8
                    token: {env: GATE_TOKEN}
                    tls: {truststore: '%s', truststorePassword: {env: TRUST_PW}}
                """.formatted(store, notAStore));

        assertThatThrownBy(() -> right.load(f))
                .hasMessage(f + ": device 'notes': field 'tls.truststore': file " + notAStore + " cannot be opened with "
                        + "tls.truststorePassword (env:TRUST_PW): wrong password, or not a PKCS12 or JKS truststore");
        assertThatThrownBy(() -> wrong.load(f))
                .hasMessageContaining(f + ": device 'gate': field 'tls.truststore': file " + store + " cannot be opened with "
                        + "tls.truststorePassword (env:TRUST_PW): wrong password")
                .hasMessageNotContaining("wr0ng-pw");
    }

    @Test
    void unsetTruststorePasswordIsReportedOnItsOwnField() throws Exception {
        Path store = SelfSignedKeyStore.generate(dir.resolve("device.p12"), "key-pw")
                .writeTrustStore(dir.resolve("trust.p12"), "right-pw");
        Path f = write("""
                devices:
                  - {id: gate, generation: v3, address: "https://10.0.5.7", token: {env: GATE_TOKEN},
                     tls: {truststore: '%s', truststorePassword: {env: TRUST_PW}}}
                """.formatted(store));

        assertThatThrownBy(() -> loader.load(f))
                .hasMessage(f + ": device 'gate': field 'tls.truststorePassword': environment variable TRUST_PW is not set");
    }

    @Test
    void brokenYamlNamesTheFile() throws Exception {
        Path f = write("devices: [ {id: a, generation: v1 \n");
        assertThatThrownBy(() -> loader.load(f)).hasMessageStartingWith(f + ": not valid YAML");
    }
}
