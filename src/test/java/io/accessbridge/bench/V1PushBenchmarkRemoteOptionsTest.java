package io.accessbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code bench v1-push}'s remote options: what goes together, the URL defaults, and what a remote run prints. */
class V1PushBenchmarkRemoteOptionsTest {

    private static final String CONFIRM = V1PushBenchmark.CONFIRM;

    private static V1PushBenchmark.Remote remote(String... args) {
        V1PushBenchmark bench = new V1PushBenchmark();
        new CommandLine(bench).parseArgs(args);
        return bench.remote();
    }

    private static void refused(String expected, String... args) {
        assertThatThrownBy(() -> remote(args)).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void withoutBridgeUrlTheRunIsLocal() {
        assertThat(remote()).isNull();
        assertThat(remote("--devices", "10", "--bridge-heap", "2g", "--bridge-java-option", "-XX:+UseZGC")).isNull();
    }

    @Test
    void brokerDefaultsToTheBridgesHostOnPort61616() {
        V1PushBenchmark.Remote r = remote("--bridge-url", "http://bridge.example:8080", CONFIRM);
        assertThat(r.bridgeUrl()).isEqualTo("http://bridge.example:8080");
        assertThat(r.brokerUrl()).isEqualTo("tcp://bridge.example:61616");
        assertThat(r.user()).isNull();
        assertThat(remote("--bridge-url", "http://10.1.2.3:8080/", CONFIRM).brokerUrl())
                .isEqualTo("tcp://10.1.2.3:61616");
    }

    @Test
    void bridgeUrlIsNormalisedToSchemeHostAndPort() {
        assertThat(remote("--bridge-url", "https://bridge.example", CONFIRM).bridgeUrl())
                .isEqualTo("https://bridge.example:443");
        assertThat(remote("--bridge-url", "HTTP://bridge.example/", CONFIRM).bridgeUrl())
                .isEqualTo("http://bridge.example:80");
        assertThat(remote("--bridge-url", "http://[::1]:9090", CONFIRM).brokerUrl()).isEqualTo("tcp://[::1]:61616");
    }

    @Test
    void explicitBrokerUrlAndUserAreKept() {
        V1PushBenchmark.Remote r = remote("--bridge-url", "http://bridge.example:8080", "--broker-url",
                "tcp://broker.example:61617?sslEnabled=true", "--broker-user", "bench", "--broker-password", "s3cret",
                CONFIRM);
        assertThat(r.brokerUrl()).isEqualTo("tcp://broker.example:61617?sslEnabled=true");
        assertThat(r.user()).isEqualTo("bench");
        assertThat(r.password()).isEqualTo("s3cret");
        assertThat(r.toString()).doesNotContain("s3cret");
    }

    @Test
    void remoteRunNeedsTheConfirmation() {
        refused(CONFIRM, "--bridge-url", "http://bridge.example:8080");
        refused("staging bridge", "--bridge-url", "http://bridge.example:8080");
    }

    @Test
    void bridgeProcessOptionsAreRefusedInRemoteMode() {
        refused("--bridge-heap sets up the bridge process", "--bridge-url", "http://b:8080", CONFIRM,
                "--bridge-heap", "2g");
        refused("--bridge-java-option sets up the bridge process", "--bridge-url", "http://b:8080", CONFIRM,
                "--bridge-java-option", "-XX:+UseZGC");
        refused("--events-queue applies to the broker of a bridge that bench v1-push starts", "--bridge-url",
                "http://b:8080", CONFIRM, "--events-queue", "REMOVED");
    }

    @Test
    void remoteOnlyOptionsAreRefusedInLocalMode() {
        refused("--broker-url goes with --bridge-url", "--broker-url", "tcp://b:61616");
        refused("--broker-user goes with --bridge-url", "--broker-user", "bench");
        refused("--broker-password goes with --bridge-url", "--broker-password", "x");
        refused(CONFIRM + " goes with --bridge-url", CONFIRM);
    }

    @Test
    void malformedUrlsAreRefused() {
        refused("--bridge-url must be the bridge's base URL", "--bridge-url", "ftp://b:8080", CONFIRM);
        refused("--bridge-url must be the bridge's base URL", "--bridge-url", "http://b:8080/v1/events", CONFIRM);
        refused("--bridge-url must be the bridge's base URL", "--bridge-url", "b:8080", CONFIRM);
        refused("--bridge-url must be the bridge's base URL", "--bridge-url", "http://user:pw@b:8080", CONFIRM);
        refused("is not a URL", "--bridge-url", "http://b b:8080", CONFIRM);
        refused("--broker-url must be the broker's core URL", "--bridge-url", "http://b:8080", "--broker-url",
                "http://b:61616", CONFIRM);
        refused("--broker-url must be the broker's core URL", "--bridge-url", "http://b:8080", "--broker-url",
                "tcp://b", CONFIRM);
    }

    @Test
    void executeExitsWithUsageErrorAndSendsNothingWithoutConfirmation() {
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        int code = new CommandLine(new V1PushBenchmark()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("--bridge-url", "http://127.0.0.1:1", "--devices", "1");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--bridge-url sends real events").contains(CONFIRM);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void credentialsInTheBrokerUrlAreRefusedSinceTheUrlIsPrinted() {
        refused("--broker-url must not carry credentials", "--bridge-url", "http://b:8080", "--broker-url",
                "tcp://bench:secret@b:61616", CONFIRM);
        refused("--broker-url must not carry credentials", "--bridge-url", "http://b:8080", "--broker-url",
                "tcp://b:61616?sslEnabled=true&password=secret", CONFIRM);
        refused("--broker-url must not carry credentials", "--bridge-url", "http://b:8080", "--broker-url",
                "tcp://b:61616?User=bench", CONFIRM);
    }

    @Test
    void everyRemoteRunHasSerialsAndSeedsOfItsOwn() {
        V1PushBenchmark.RunKeys a = V1PushBenchmark.RunKeys.unique(1_795_402_191_170L, 1);
        V1PushBenchmark.RunKeys b = V1PushBenchmark.RunKeys.unique(1_795_402_191_171L, 1);
        V1PushBenchmark.RunKeys c = V1PushBenchmark.RunKeys.unique(1_795_402_191_170L, 2);
        assertThat(a.prefix()).isNotEqualTo(a.warmupPrefix()).isNotEqualTo(b.prefix()).isNotEqualTo(c.prefix())
                .isNotEqualTo(V1PushBenchmark.RunKeys.LOCAL.prefix()).matches("B[0-9A-Z]+1S");
        assertThat(a.seed()).isNotEqualTo(a.warmupSeed()).isNotEqualTo(b.seed()).isNotEqualTo(c.seed());
        assertThat((a.prefix() + "000001").length()).isLessThanOrEqualTo(64);
    }

    @Test
    void inBrokerIsTheMessagesAddedDifferenceWhereManagementAnswers() {
        var before = new BrokerQueues.Figures(true, 40, 1, OptionalLong.of(1000));
        var after = new BrokerQueues.Figures(true, 10, 1, OptionalLong.of(1600));
        assertThat(V1PushBenchmark.inBroker(before, after, 100))
                .isEqualTo("in-broker=+600 (incl. 100 warm-up; messages added to access.events.all)");
    }

    @Test
    void inBrokerFallsBackToTheMessageCountALowerBoundWithConsumers() {
        var none = OptionalLong.empty();
        assertThat(V1PushBenchmark.inBroker(new BrokerQueues.Figures(true, 5, 0, none),
                new BrokerQueues.Figures(true, 105, 0, none), 0))
                .isEqualTo("in-broker=+100 (incl. 0 warm-up; message count of access.events.all, no consumer)");
        assertThat(V1PushBenchmark.inBroker(new BrokerQueues.Figures(true, 5, 2, none),
                new BrokerQueues.Figures(true, 50, 2, none), 0))
                .startsWith("in-broker>=+45 ").contains("2 consumer(s) attached: a lower bound");
        assertThat(V1PushBenchmark.inBroker(new BrokerQueues.Figures(false, 0, 0, none),
                new BrokerQueues.Figures(false, 0, 0, none), 0)).startsWith("in-broker=unknown");
    }

    @Test
    void memoryIsPrintedAsTheBridgeReportedIt() {
        long mib = 1024L * 1024L;
        assertThat(V1PushBenchmark.memory(new BridgeMemorySampler.Peak(300 * mib, 420 * mib, -1, 12)))
                .startsWith("bridge-peak-heap=300MiB bridge-peak-committed=420MiB (")
                .contains("as reported by the bridge").endsWith("12 samples)");
        assertThat(V1PushBenchmark.memory(new BridgeMemorySampler.Peak(300 * mib, 420 * mib, 500 * mib, 3)))
                .contains("bridge-peak-rss=500MiB");
        assertThat(V1PushBenchmark.memory(new BridgeMemorySampler.Peak(-1, -1, -1, 0)))
                .startsWith("bridge-peak-heap=unknown");
    }
}
