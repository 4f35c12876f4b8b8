package io.accessbridge.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecentEventsTest {

    @Test
    void keepsTheNewestUpToItsCapacity() {
        RecentEvents recent = new RecentEvents(3);
        for (int i = 0; i < 5; i++) {
            recent.add(new RecentEvent("r" + i, Instant.EPOCH, null, "access.granted", "d", null, "granted", null, "http-push"));
        }
        assertThat(recent.latest(10)).extracting(RecentEvent::ref).containsExactly("r4", "r3", "r2");
        assertThat(recent.latest(1)).extracting(RecentEvent::ref).containsExactly("r4");
    }

    @Test
    void refIsAShortHashNotTheId() {
        String id = "4d3987c1-a3b3-470b-9fb7-e114772c069c";
        assertThat(RecentEvents.ref(id)).matches("[0-9a-f]{12}").isNotEqualTo(id.substring(0, 12))
                .isEqualTo(RecentEvents.ref(id)).isNotEqualTo(RecentEvents.ref(id + "x"));
    }

    @Test
    void statusPageServesOnlyItsOwnFiles() {
        assertThat(StatusPage.fileName("/status")).isEqualTo("index.html");
        assertThat(StatusPage.fileName("/status/")).isEqualTo("index.html");
        assertThat(StatusPage.fileName("/status/status.js?x=1")).isEqualTo("status.js");
        assertThat(StatusPage.fileName("/status/../../pom.xml")).isEqualTo("../../pom.xml");
    }

    @Test
    void targetIsFailingWhileAnEventWaitsOrTheCircuitIsOpen() {
        assertThat(OpsStatus.targetState(false, counts(0, "OPEN"))).isEqualTo("DISABLED");
        assertThat(OpsStatus.targetState(true, counts(0, "CLOSED"))).isEqualTo("OK");
        assertThat(OpsStatus.targetState(true, counts(2, "CLOSED"))).isEqualTo("FAILING");
        assertThat(OpsStatus.targetState(true, counts(0, "OPEN"))).isEqualTo("FAILING");
    }

    private static io.accessbridge.target.TargetCounts counts(long retrying, String circuit) {
        return new io.accessbridge.target.TargetCounts(5, 0, 1, retrying, 0, circuit);
    }
}
