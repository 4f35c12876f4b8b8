package io.accessbridge.v3;

import io.accessbridge.testing.SteppingClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.accessbridge.canonical.AccessEvent;
import io.accessbridge.canonical.CanonicalEvent;
import io.accessbridge.canonical.EventKind;
import io.accessbridge.checkpoint.Checkpoint;
import io.accessbridge.checkpoint.FileCheckpointStore;
import io.accessbridge.checkpoint.InMemoryCheckpointStore;
import io.accessbridge.ingest.NormalizedEvent;
import io.accessbridge.ingest.SourceContext;
import io.accessbridge.simulator.v3.V3DeviceSimulator;
import io.accessbridge.v3.V3Poller.Options;
import io.accessbridge.v3.V3Poller.Result;
import io.accessbridge.v3.V3Poller.StartPosition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class V3PollerTest {

    private static final String DEVICE = "lobby-v3";
    private static final SourceContext CTX = SourceContext.of("v3-fetch", "127.0.0.1")
            .withDevice(DEVICE, "hq", "Lobby", "IN");
    private static final Clock BRIDGE_CLOCK = Clock.fixed(Instant.parse("2024-05-01T12:00:00Z"), ZoneOffset.UTC);
    private static HttpClient http;

    private V3DeviceSimulator sim;
    private final InMemoryCheckpointStore store = new InMemoryCheckpointStore();
    private final List<CanonicalEvent> published = new CopyOnWriteArrayList<>();
    private final V3Poller.Publisher memory = events -> events.forEach(e -> published.add(e.event()));


    @BeforeAll
    static void client() {
        http = V3EventClient.newHttpClient();
    }

    @AfterAll
    static void noClient() {
        http = null;
    }

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private V3EventClient start(V3DeviceSimulator.Builder b) throws Exception {
        return start(b, Instant.parse("2024-05-01T08:00:00Z"));
    }

    private V3EventClient start(V3DeviceSimulator.Builder b, Instant deviceClock) throws Exception {
        sim = b.deviceId(DEVICE).clock(new SteppingClock(deviceClock)).start();
        return new V3EventClient(http, sim.baseUri(), sim.apiVersion(), sim.token(), null);
    }

    private V3Poller poller(V3EventClient client, Options options, V3Poller.Publisher publisher) {
        return new V3Poller(client, store, publisher, CTX, options, BRIDGE_CLOCK);
    }

    private List<Long> publishedSeqnums() {
        return published.stream().filter(e -> e.kind() != EventKind.DEVICE_GAP)
                .map(e -> ((Number) e.data().vendor().get("seqnum")).longValue()).toList();
    }

    private static List<Long> range(long from, long to) {
        List<Long> r = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            r.add(i);
        }
        return r;
    }

    @Test
    void firstCycleReadsTheWholeLogInPagesThenOnlyAsksForInfo() throws Exception {
        V3Poller poller = poller(start(V3DeviceSimulator.builder()), Options.DEFAULTS, memory);
        sim.addEvents(250);

        Result r = poller.poll();

        assertThat(r.fetched()).isEqualTo(250);
        assertThat(r.published()).isEqualTo(250);
        assertThat(r.caughtUp()).isTrue();
        assertThat(r.gapFound()).isFalse();
        assertThat(r.resetDetected()).isFalse();
        assertThat(publishedSeqnums()).isEqualTo(range(1, 250));
        assertThat(published).extracting(CanonicalEvent::id).doesNotHaveDuplicates();
        assertThat(published).allSatisfy(e -> assertThat(e.data().channel()).isEqualTo("v3-fetch"));
        assertThat(store.load(DEVICE).orElseThrow().lastSeqnum()).isEqualTo(250);
        assertThat(sim.requestCount("event-fetch")).isEqualTo(3);

        Result idle = poller.poll();
        assertThat(idle.fetched()).isZero();
        assertThat(idle.caughtUp()).isTrue();
        assertThat(sim.requestCount("event-info")).isEqualTo(2);
        assertThat(sim.requestCount("event-fetch")).as("nothing new: no fetch").isEqualTo(3);
        assertThat(sim.maxConcurrentRequests()).isEqualTo(1);
    }

    @Test
    void laterCyclesFetchOnlyTheNewEvents() throws Exception {
        V3Poller poller = poller(start(V3DeviceSimulator.builder()), Options.DEFAULTS, memory);
        sim.addEvents(7);
        poller.poll();
        sim.addEvents(4);

        Result r = poller.poll();

        assertThat(r.fetched()).isEqualTo(4);
        assertThat(publishedSeqnums()).isEqualTo(range(1, 11));
        assertThat(r.checkpoint().lastSeqnum()).isEqualTo(11);
        assertThat(r.checkpoint().lastTimestamp()).isEqualTo(sim.events().get(10).get("timestamp").asLong());
    }

    @Test
    void maxPagesBoundsACycleAndTheNextCycleContinues() throws Exception {
        V3Poller poller = poller(start(V3DeviceSimulator.builder()), new Options(10, 2, StartPosition.EARLIEST), memory);
        sim.addEvents(45);

        Result first = poller.poll();
        assertThat(first.fetched()).isEqualTo(20);
        assertThat(first.caughtUp()).isFalse();

        while (!poller.poll().caughtUp()) {
            assertThat(published.size()).isLessThan(45);
        }
        assertThat(publishedSeqnums()).isEqualTo(range(1, 45));
    }

    @Test
    void deviceSideLossIsPublishedAsOneGapAndReadingContinuesFromMin() throws Exception {
        V3Poller poller = poller(start(V3DeviceSimulator.builder().capacity(20)), Options.DEFAULTS, memory);
        sim.addEvents(10);
        poller.poll();
        sim.addEvents(30); // device now holds 21..40: 11..20 were overwritten

        Result r = poller.poll();

        assertThat(r.gapFound()).isTrue();
        assertThat(r.lostEvents()).isEqualTo(10);
        assertThat(r.fetched()).isEqualTo(20);
        assertThat(r.published()).isEqualTo(21);
        CanonicalEvent gap = published.get(10);
        assertThat(gap.kind()).isEqualTo(EventKind.DEVICE_GAP);
        assertThat(gap.data().gap()).isEqualTo(new AccessEvent.Gap(11, 20, 10));
        assertThat(gap.time()).isEqualTo(BRIDGE_CLOCK.instant());
        assertThat(gap.subject()).isEqualTo("Lobby");
        assertThat(publishedSeqnums()).isEqualTo(concat(range(1, 10), range(21, 40)));
        assertThat(r.checkpoint().lastSeqnum()).isEqualTo(40);
    }

    @Test
    void resetWithSmallerMaxStartsANewEpochAndKeepsIdsUnique() throws Exception {
        V3Poller poller = poller(start(V3DeviceSimulator.builder()), Options.DEFAULTS, memory);
        sim.addEvents(30);
        poller.poll();
        sim.reset();
        sim.addEvents(5);

        Result r = poller.poll();

        assertThat(r.resetDetected()).isTrue();
        assertThat(r.gapFound()).isFalse();
        assertThat(r.fetched()).isEqualTo(5);
        assertThat(r.checkpoint().epoch()).isEqualTo(1);
        assertThat(r.checkpoint().lastSeqnum()).isEqualTo(5);
        assertThat(publishedSeqnums()).isEqualTo(concat(range(1, 30), range(1, 5)));
        assertThat(published).extracting(CanonicalEvent::id).doesNotHaveDuplicates();
    }

    @Test
    void resetIsDetectedByTimestampWhenTheNewLogIsAlreadyLonger() throws Exception {
        V3Poller poller = poller(start(V3DeviceSimulator.builder()), Options.DEFAULTS, memory);
        sim.addEvents(5);
        poller.poll();
        sim.reset();
        sim.addEvents(8); // min 1, max 8: nothing in event-info betrays the reset

        Result r = poller.poll();

        assertThat(r.resetDetected()).isTrue();
        assertThat(r.fetched()).isEqualTo(8);
        assertThat(r.checkpoint().epoch()).isEqualTo(1);
        assertThat(publishedSeqnums()).isEqualTo(concat(range(1, 5), range(1, 8)));
        assertThat(published).extracting(CanonicalEvent::id).doesNotHaveDuplicates();
    }

    @Test
    void eventsSeenButNotReadBeforeAResetAreReportedLost() throws Exception {
        V3Poller poller = poller(start(V3DeviceSimulator.builder()), new Options(10, 1, StartPosition.EARLIEST), memory);
        sim.addEvents(30);
        poller.poll(); // reads 1..10 of 30
        sim.reset();
        sim.addEvents(3);

        Result r = poller.poll();

        assertThat(r.resetDetected()).isTrue();
        assertThat(r.lostEvents()).isEqualTo(20);
        CanonicalEvent gap = published.get(10);
        assertThat(gap.data().gap()).isEqualTo(new AccessEvent.Gap(11, 30, 20));
        assertThat(gap.data().vendor()).containsEntry("epoch", 0L);
        assertThat(publishedSeqnums()).isEqualTo(concat(range(1, 10), range(1, 3)));
    }

    @Test
    void checkpointIsSavedOnlyAfterPublishReturnsAndAFailedPageIsReadAgain() throws Exception {
        V3EventClient client = start(V3DeviceSimulator.builder());
        sim.addEvents(25);
        AtomicLong calls = new AtomicLong();
        V3Poller.Publisher failingSecondPage = events -> {
            long firstSeqnum = ((Number) events.get(0).event().data().vendor().get("seqnum")).longValue();
            long saved = store.load(DEVICE).map(Checkpoint::lastSeqnum).orElse(0L);
            assertThat(saved).as("checkpoint not moved before publish returns").isLessThan(firstSeqnum);
            if (calls.incrementAndGet() == 2) {
                throw new IllegalStateException("broker unavailable");
            }
            memory.publish(events);
        };
        V3Poller poller = poller(client, new Options(10, 10, StartPosition.EARLIEST), failingSecondPage);

        assertThatThrownBy(poller::poll).hasMessage("broker unavailable");
        assertThat(store.load(DEVICE).orElseThrow().lastSeqnum()).isEqualTo(10);

        Result r = poller.poll();
        assertThat(r.caughtUp()).isTrue();
        assertThat(publishedSeqnums()).isEqualTo(range(1, 25));
    }

    @Test
    void invalidEventsAreSkippedWithoutStallingTheDevice() throws Exception {
        V3Poller poller = poller(start(V3DeviceSimulator.builder()), Options.DEFAULTS, memory);
        sim.addEvents(2);
        sim.addRawEvent(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("timestamp", 1714550400).put("event", "elevator").put("device-id", DEVICE));
        sim.addEvents(2);

        Result r = poller.poll();

        assertThat(r.fetched()).isEqualTo(5);
        assertThat(r.invalid()).isEqualTo(1);
        assertThat(r.published()).isEqualTo(4);
        assertThat(publishedSeqnums()).containsExactly(1L, 2L, 4L, 5L);
        assertThat(r.checkpoint().lastSeqnum()).isEqualTo(5);
    }

    @Test
    void latestStartSkipsTheExistingLog() throws Exception {
        V3Poller poller = poller(start(V3DeviceSimulator.builder()), new Options(100, 10, StartPosition.LATEST), memory);
        sim.addEvents(20);

        Result first = poller.poll();
        assertThat(first.fetched()).isZero();
        assertThat(first.skippedAtFirstContact()).isEqualTo(20);
        sim.addEvents(3);
        Result next = poller.poll();
        assertThat(next.fetched()).isEqualTo(3);
        assertThat(next.skippedAtFirstContact()).isZero();
        assertThat(publishedSeqnums()).containsExactly(21L, 22L, 23L);
    }

    @Test
    void emptyDeviceNeedsNoFetch() throws Exception {
        V3Poller poller = poller(start(V3DeviceSimulator.builder()), Options.DEFAULTS, memory);

        Result r = poller.poll();

        assertThat(r.caughtUp()).isTrue();
        assertThat(r.fetched()).isZero();
        assertThat(sim.requestCount("event-fetch")).isZero();
        assertThat(store.load(DEVICE)).isPresent();
    }

    @Test
    void deviceErrorsPropagateAndLeaveTheCheckpoint(@TempDir Path dir) throws Exception {
        V3EventClient client = start(V3DeviceSimulator.builder());
        FileCheckpointStore files = new FileCheckpointStore(dir);
        V3Poller poller = new V3Poller(client, files, memory, CTX, new Options(5, 10, StartPosition.EARLIEST), BRIDGE_CLOCK);
        sim.addEvents(12);
        sim.failNext(1, V3DeviceSimulator.Failure.RETCODE);

        assertThatThrownBy(poller::poll).isInstanceOf(V3ProtocolException.class);
        assertThat(files.load(DEVICE)).isEmpty();

        poller.poll();
        sim.addEvents(3);
        sim.failNext(1, V3DeviceSimulator.Failure.WRONG_REQID, "event-fetch");
        assertThatThrownBy(poller::poll).isInstanceOf(V3ProtocolException.class).hasMessageContaining("event-fetch");
        assertThat(files.load(DEVICE).orElseThrow().lastSeqnum()).isEqualTo(12);
        poller.poll();
        assertThat(new FileCheckpointStore(dir).load(DEVICE).orElseThrow().lastSeqnum()).isEqualTo(15);
        assertThat(publishedSeqnums()).isEqualTo(range(1, 15));
    }

    @Test
    void firstContactSinceStartsAtTheFirstEventAtOrAfterTheDate() throws Exception {
        V3EventClient client = start(V3DeviceSimulator.builder());
        sim.addEvents(100); // the stepping clock: event k at 08:00:00 + (k - 1) s
        Instant since = Instant.ofEpochSecond(sim.events().get(39).get("timestamp").asLong());
        V3Poller poller = poller(client, new Options(100, 10, StartPosition.SINCE, since), memory);

        Result r = poller.poll();

        assertThat(publishedSeqnums()).isEqualTo(range(40, 100));
        assertThat(r.caughtUp()).isTrue();
        assertThat(sim.requestCount("event-fetch")).as("a binary search, then one page").isLessThan(12);
    }

    @Test
    void firstContactSinceAfterTheNewestEventReadsOnlyNewEvents() throws Exception {
        V3EventClient client = start(V3DeviceSimulator.builder());
        sim.addEvents(20);
        V3Poller poller = poller(client, new Options(100, 10, StartPosition.SINCE,
                Instant.parse("2030-01-01T00:00:00Z")), memory);

        assertThat(poller.poll().fetched()).isZero();
        sim.addEvents(2);
        poller.poll();
        assertThat(publishedSeqnums()).containsExactly(21L, 22L);
    }

    @Test
    void firstContactSinceWithADeviceClockYearsBehindSkipsItsLogCountedThenReadsEverythingNew() throws Exception {
        // the bridge's "since" is a day before its own now; the device's clock says 2004
        V3EventClient client = start(V3DeviceSimulator.builder(), Instant.parse("2004-05-01T08:00:00Z"));
        sim.addEvents(30);
        V3Poller poller = poller(client, new Options(100, 10, StartPosition.SINCE,
                BRIDGE_CLOCK.instant().minus(java.time.Duration.ofDays(1))), memory);

        Result first = poller.poll();
        assertThat(first.fetched()).isZero();
        assertThat(first.skippedAtFirstContact()).as("passed over by configuration, and counted").isEqualTo(30);
        sim.addEvents(5);
        Result next = poller.poll();
        assertThat(next.skippedAtFirstContact()).isZero();
        assertThat(publishedSeqnums()).as("after the first contact seqnums decide, not the clock")
                .isEqualTo(range(31, 35));
        assertThat(published.get(0).data().occurredAt()).startsWith("2004-05-01T08:00:3");
    }

    @Test
    void firstContactSinceWithADeviceClockYearsAheadReadsTheWholeLog() throws Exception {
        V3EventClient client = start(V3DeviceSimulator.builder(), Instant.parse("2044-05-01T08:00:00Z"));
        sim.addEvents(30);
        V3Poller poller = poller(client, new Options(100, 10, StartPosition.SINCE,
                BRIDGE_CLOCK.instant().minus(java.time.Duration.ofDays(1))), memory);

        Result first = poller.poll();
        assertThat(first.skippedAtFirstContact()).isZero();
        assertThat(publishedSeqnums()).isEqualTo(range(1, 30));
        assertThat(published.get(0).data().occurredAt()).isEqualTo("2044-05-01T08:00:00Z");
    }

    @Test
    void rejectedEventsAreHandedOverBeforeTheCheckpointPassesThem() throws Exception {
        V3EventClient client = start(V3DeviceSimulator.builder());
        sim.addEvents(2);
        long bad = sim.addRawEvent(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("timestamp", 1714550400).put("event", "elevator").put("device-id", DEVICE));
        sim.addEvents(2);
        List<String> rejected = new ArrayList<>();
        V3Poller.Rejects rejects = (event, reason) -> {
            assertThat(store.load(DEVICE).orElseThrow().lastSeqnum()).isLessThan(event.seqnum());
            rejected.add(event.seqnum() + " " + event.json().get("event").asText() + " " + reason);
        };
        V3Poller poller = new V3Poller(client, store, memory, rejects, CTX, Options.DEFAULTS, BRIDGE_CLOCK);

        Result r = poller.poll();

        assertThat(rejected).containsExactly(bad + " elevator field 'event' has an unknown value 'elevator'");
        assertThat(r.invalid()).isEqualTo(1);
        assertThat(publishedSeqnums()).containsExactly(1L, 2L, 4L, 5L);
        assertThat(r.checkpoint().lastSeqnum()).isEqualTo(5);
    }

    @Test
    void aFailingRejectsHandlerKeepsTheCheckpointBeforeTheRejectedEvent() throws Exception {
        V3EventClient client = start(V3DeviceSimulator.builder());
        sim.addEvents(2);
        sim.addRawEvent(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("timestamp", 1714550400).put("event", "elevator").put("device-id", DEVICE));
        V3Poller poller = new V3Poller(client, store, memory, (event, reason) -> {
            throw new IllegalStateException("quarantine unavailable");
        }, CTX, Options.DEFAULTS, BRIDGE_CLOCK);

        assertThatThrownBy(poller::poll).hasMessage("quarantine unavailable");
        assertThat(store.load(DEVICE).orElseThrow().lastSeqnum()).isZero();
    }

    /** A publisher whose pipeline logs sends and confirmations, and a store that logs saves. */
    private final class Recording implements V3Poller.Publisher {
        final List<String> log = new CopyOnWriteArrayList<>();
        Runnable onFirstSend = () -> { };
        boolean sent;

        @Override
        public void publish(List<io.accessbridge.ingest.NormalizedEvent> events) {
            log.add("publish " + seqnums(events));
            events.forEach(e -> published.add(e.event()));
        }

        @Override
        public V3Poller.Pipeline pipeline() {
            return events -> {
                String page = seqnums(events);
                if (!sent) {
                    sent = true;
                    onFirstSend.run();
                }
                log.add("send " + page);
                return () -> {
                    log.add("stored " + page);
                    events.forEach(e -> published.add(e.event()));
                };
            };
        }

        private String seqnums(List<io.accessbridge.ingest.NormalizedEvent> events) {
            return events.get(0).event().data().vendor().get("seqnum") + ".."
                    + events.get(events.size() - 1).event().data().vendor().get("seqnum");
        }
    }

    private io.accessbridge.checkpoint.CheckpointStore recordingStore(List<String> log) {
        return new io.accessbridge.checkpoint.CheckpointStore() {
            @Override
            public java.util.Optional<Checkpoint> load(String deviceId) {
                return store.load(deviceId);
            }

            @Override
            public void save(String deviceId, Checkpoint checkpoint) {
                log.add("checkpoint " + checkpoint.lastSeqnum());
                store.save(deviceId, checkpoint);
            }
        };
    }

    @Test
    void nextPageIsFetchedWhileThePreviousIsStoredAndEachCheckpointFollowsItsConfirmation() throws Exception {
        V3EventClient client = start(V3DeviceSimulator.builder());
        sim.addEvents(30);
        Recording recording = new Recording();
        V3Poller poller = new V3Poller(client, recordingStore(recording.log), recording, V3Poller.Rejects.LOG_ONLY,
                CTX, new Options(10, 10, StartPosition.EARLIEST), BRIDGE_CLOCK);

        Result r = poller.poll();

        assertThat(recording.log).containsExactly("checkpoint 0",
                "send 1..10", "send 11..20", "stored 1..10", "checkpoint 10",
                "send 21..30", "stored 11..20", "checkpoint 20",
                "stored 21..30", "checkpoint 30");
        assertThat(r.published()).isEqualTo(30);
        assertThat(publishedSeqnums()).isEqualTo(range(1, 30));
    }

    @Test
    void aPageSentBeforeAFailedFetchIsStillCompletedAndCheckpointed() throws Exception {
        V3EventClient client = start(V3DeviceSimulator.builder());
        sim.addEvents(30);
        Recording recording = new Recording();
        recording.onFirstSend = () -> sim.failNext(1, V3DeviceSimulator.Failure.HTTP_500, "event-fetch");
        V3Poller poller = new V3Poller(client, recordingStore(recording.log), recording, V3Poller.Rejects.LOG_ONLY,
                CTX, new Options(10, 10, StartPosition.EARLIEST), BRIDGE_CLOCK);

        assertThatThrownBy(poller::poll).isInstanceOf(V3ProtocolException.class).hasMessageContaining("HTTP status 500");
        assertThat(recording.log).containsExactly("checkpoint 0", "send 1..10", "stored 1..10", "checkpoint 10");

        poller.poll();
        assertThat(publishedSeqnums()).isEqualTo(range(1, 30));
    }

    @Test
    void aFailedConfirmationLeavesTheCheckpointAtTheLastStoredPage() throws Exception {
        V3EventClient client = start(V3DeviceSimulator.builder());
        sim.addEvents(30);
        List<String> log = new CopyOnWriteArrayList<>();
        V3Poller.Publisher failingSecond = new V3Poller.Publisher() {
            int pages;

            @Override
            public void publish(List<io.accessbridge.ingest.NormalizedEvent> events) {
                events.forEach(e -> published.add(e.event()));
            }

            @Override
            public V3Poller.Pipeline pipeline() {
                return events -> {
                    int page = ++pages;
                    return () -> {
                        if (page == 2) {
                            throw new IllegalStateException("broker did not confirm");
                        }
                        events.forEach(e -> published.add(e.event()));
                    };
                };
            }
        };
        V3Poller poller = new V3Poller(client, recordingStore(log), failingSecond, V3Poller.Rejects.LOG_ONLY, CTX,
                new Options(10, 10, StartPosition.EARLIEST), BRIDGE_CLOCK);

        assertThatThrownBy(poller::poll).hasMessage("broker did not confirm");
        assertThat(store.load(DEVICE).orElseThrow().lastSeqnum()).isEqualTo(10);
        assertThat(log).doesNotContain("checkpoint 20", "checkpoint 30");
    }

    private static List<Long> concat(List<Long> a, List<Long> b) {
        List<Long> r = new ArrayList<>(a);
        r.addAll(b);
        return r;
    }

    @Test
    void anUnreadableEventIsIsolatedQuarantinedAsReceivedAndPassedWithoutStallingTheDevice() throws Exception {
        V3EventClient client = start(V3DeviceSimulator.builder());
        sim.addEvents(49);
        ObjectNode bad = sim.events().get(0).deepCopy();
        bad.put("temperature", new BigInteger("7".repeat(1_500)));
        long badSeqnum = sim.addRawEvent(bad);
        sim.addEvents(150);
        List<Long> unreadable = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        V3Poller.Rejects rejects = new V3Poller.Rejects() {
            @Override
            public void reject(V3Event event, String reason) {
                throw new AssertionError("no event is invalid here: " + event);
            }

            @Override
            public void rejectUnreadable(long seqnum, byte[] reply, String reason) {
                unreadable.add(seqnum);
                kept.add(new String(reply, java.nio.charset.StandardCharsets.UTF_8));
            }
        };
        V3Poller poller = new V3Poller(client, store, memory, rejects, CTX, Options.DEFAULTS, BRIDGE_CLOCK);

        int failedCycles = 0;
        Result last = null;
        for (int cycle = 0; cycle < 20 && (last == null || !last.caughtUp()); cycle++) {
            try {
                last = poller.poll();
            } catch (V3UnreadableReplyException e) {
                failedCycles++;
            }
        }

        assertThat(last).isNotNull();
        assertThat(last.caughtUp()).isTrue();
        assertThat(failedCycles).as("cycles that ended on the unreadable event before it was passed")
                .isEqualTo(V3Poller.UNREADABLE_ATTEMPTS - 1);
        assertThat(unreadable).containsExactly(badSeqnum);
        assertThat(kept.get(0)).contains("7".repeat(1_500));
        List<Long> expected = range(1, 200);
        expected.remove(Long.valueOf(badSeqnum));
        assertThat(publishedSeqnums()).isEqualTo(expected);
        assertThat(store.load(DEVICE).orElseThrow().lastSeqnum()).isEqualTo(200);
    }
}
