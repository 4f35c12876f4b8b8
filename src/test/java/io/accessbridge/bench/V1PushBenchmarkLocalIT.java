package io.accessbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * {@code bench v1-push} as a user runs it: a bridge process of its own, warm-up, timed run. By default a consumer
 * reads every event as it arrives, and the baseline's queue likewise; with {@code --events-queue removed} the
 * warm-up's events are gone from the broker before the timed run, whose events stay.
 */
@Timeout(300)
class V1PushBenchmarkLocalIT {

    private static String bench(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new V1PushBenchmark()).setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        System.out.print(out);
        System.out.print(err);
        assertThat(code).as(out + "" + err).isZero();
        return out.toString();
    }

    @Test
    void byDefaultAConsumerReadsEveryEventOnceAndTheBaselineIsReadToo() {
        String out = bench("--devices", "3", "--records", "20", "--warmup", "10");

        assertThat(out).contains("devices=3 events=60 ")
                .contains("in-broker=90 (read by a consumer as they came: 90, 90 distinct ids; left in the queue: 0;"
                        + " incl. 30 warm-up)")
                .contains("baseline plain persistent JMS, 3 producers, 1 in flight each, 1.5 KB, read by a consumer as"
                        + " they came: rate=");
    }

    @Test
    void removedLeavesOnlyTheTimedRunsEventsInTheBroker() {
        String out = bench("--devices", "2", "--records", "20", "--warmup", "10", "--events-queue", "removed",
                "--no-baseline");

        assertThat(out).contains("devices=2 events=40 ").contains("in-broker=40 (after 20 warm-up events removed, bridge ")
                .doesNotContain("still paged").doesNotContain("baseline");
    }
}
