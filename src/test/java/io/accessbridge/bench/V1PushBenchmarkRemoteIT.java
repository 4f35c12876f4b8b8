package io.accessbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.accessbridge.testing.FreePorts;
import io.accessbridge.testing.RunningBridge;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bench v1-push --bridge-url} against a bridge already running as its own process (as at a site, where the
 * load generator runs on another host): every acknowledged event is counted in the broker, the bridge's peak memory
 * comes from its metrics, the baseline leaves no message behind, and a second run against the same bridge is not
 * swallowed by the broker's duplicate detection.
 */
@Timeout(300)
class V1PushBenchmarkRemoteIT {

    private static final int DEVICES = 5;
    private static final int RECORDS = 20;

    @TempDir
    Path data;

    /** What one invocation printed and returned. */
    private record Outcome(int code, String out, String err) {
    }

    private static Outcome bench(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new V1PushBenchmark()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
        System.out.print(out);
        System.out.print(err);
        return new Outcome(code, out.toString(), err.toString());
    }

    private static long figure(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("%s in:%n%s", regex, text).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** A broker password (the embedded broker checks none) that must not appear in what the benchmark prints. */
    private static final String PASSWORD = "pw-never-printed-7Qz";

    @Test
    void countsEveryEventReadsTheBridgesMemoryAndLeavesNoBaselineMessage() throws Exception {
        Map<String, String> settings = RunningBridge.defaults(data);
        String bridgeUrl = "http://127.0.0.1:" + settings.get("bridge.http.port");
        String brokerUrl = "tcp://127.0.0.1:" + settings.get("bridge.broker.port");
        List<String> args = new ArrayList<>(List.of("--bridge-url", bridgeUrl, "--broker-url", brokerUrl,
                "--devices", String.valueOf(DEVICES), "--records", String.valueOf(RECORDS), "--warmup", "0",
                "--broker-user", "bench", "--broker-password", PASSWORD, V1PushBenchmark.CONFIRM));
        long expected = (long) DEVICES * RECORDS;
        try (BridgeProcess bridge = BridgeProcess.start(settings, data.resolve("bridge.log"))) {
            Outcome first = bench(args.toArray(String[]::new));
            assertThat(first.code()).as(first.out() + first.err()).isZero();
            assertThat(first.out() + first.err()).as("the broker password is never printed").doesNotContain(PASSWORD);
            assertThat(figure(first.out(), "events=(\\d+)")).isEqualTo(expected);
            assertThat(figure(first.out(), "in-broker=\\+(\\d+) ")).isEqualTo(expected);
            assertThat(first.out()).contains("messages added to access.events.all");
            assertThat(figure(first.out(), "bridge-peak-heap=(\\d+)MiB")).isPositive();
            assertThat(first.out()).contains("as reported by the bridge").contains("baseline plain persistent JMS");
            assertThat(figure(first.out(), "bench.baseline deleted with its (\\d+) messages"))
                    .as("the baseline's warm-up and measured sends, every one deleted").isGreaterThan(expected);
            try (BrokerQueues broker = BrokerQueues.open(brokerUrl, null, null)) {
                assertThat(broker.messageCount("bench.baseline")).as("baseline messages left").isZero();
                assertThat(broker.figures("bench.baseline").exists()).isFalse();
                assertThat(broker.addressExists("bench.baseline")).as("the auto-created address went with its queue")
                        .isFalse();
                assertThat(broker.messageCount("access.events.all")).isEqualTo(expected);
            }

            // the same command again: new serials and records, so none is dropped as a duplicate of the first run's
            args.add("--no-baseline");
            Outcome second = bench(args.toArray(String[]::new));
            assertThat(second.code()).as(second.out() + second.err()).isZero();
            assertThat(figure(second.out(), "events=(\\d+)")).isEqualTo(expected);
            assertThat(figure(second.out(), "in-broker=\\+(\\d+) ")).isEqualTo(expected);
            assertThat(second.out()).doesNotContain("baseline");
            try (BrokerQueues broker = BrokerQueues.open(brokerUrl, null, null)) {
                assertThat(broker.messageCount("access.events.all")).isEqualTo(2 * expected);
            }
        }
    }

    @Test
    void bridgeThatDoesNotAnswerIsRefusedBeforeAnythingIsSent() {
        Outcome o = bench("--bridge-url", "http://127.0.0.1:" + FreePorts.next(), "--devices", "1", "--records", "1",
                V1PushBenchmark.CONFIRM);
        assertThat(o.code()).isEqualTo(1);
        assertThat(o.err()).contains("does not answer /observe/health/ready").contains("nothing was sent");
        assertThat(o.out()).doesNotContain("events=");
    }
}
