package io.accessbridge.v3.poll;

import io.accessbridge.checkpoint.Checkpoint;
import io.accessbridge.checkpoint.CheckpointStore;
import io.accessbridge.ingest.SourceContext;
import io.accessbridge.inventory.DeviceConfig;
import io.accessbridge.status.DeviceState;
import io.accessbridge.status.DeviceStatusRegistry;
import io.accessbridge.v3.V3EventClient;
import io.accessbridge.v3.V3Poller;
import io.accessbridge.v3.V3ProtocolException;
import io.accessbridge.v3.V3Settings;
import jakarta.jms.JMSException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLHandshakeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One v3 device at run time: its client, checkpoint and {@link V3Poller}, the lock that keeps its
 * polls (and the checkpoint moves of its {@code event-report}s) one at a time, and what it reports
 * to the {@link DeviceStatusRegistry}: channel {@code poll} (state and reason), counters
 * {@code gaps}, {@code lostEvents}, {@code resets}, {@code quarantined}, {@code pollErrors},
 * {@code firstContactSkipped} (events the first contact's {@code new} or {@code since} passed over), and
 * gauges {@code v3.lag} and {@code v3.checkpoint}.
 */
public final class V3DevicePoller {

    /** Status channel of polling. */
    public static final String CHANNEL = "poll";
    /** Status channel of {@code event-report}. */
    public static final String REPORT_CHANNEL = "report";
    /** The {@code channel} of fetched events. */
    public static final String FETCH_CHANNEL = "v3-fetch";

    private static final Logger LOG = LoggerFactory.getLogger(V3DevicePoller.class);

    private final DeviceConfig device;
    private final V3Settings settings;
    private final HttpClient http;
    private final CheckpointStore store;
    private final V3Poller.Publisher publisher;
    private final V3Poller.Rejects rejects;
    private final DeviceStatusRegistry status;
    private final Map<String, String> environment;
    private final Clock clock;
    private final Runnable wake;
    private final SourceContext ctx;
    private final ReentrantLock lock = new ReentrantLock();
    private V3Poller poller;
    private volatile boolean confirmedCaughtUp;

    /**
     * @param device      the inventory entry (generation v3)
     * @param settings    bridge-wide v3 settings
     * @param http        the HTTP client to call the device with (see {@link io.accessbridge.v3.V3HttpClients})
     * @param store       checkpoints
     * @param publisher   stores a page's events in the broker, returning once they are committed
     * @param rejects     keeps events the normaliser rejects (quarantine)
     * @param status      the status registry
     * @param environment resolves the token reference
     * @param clock       stamps checkpoints and gap events
     * @param wake        asks for a poll of this device at once
     */
    public V3DevicePoller(DeviceConfig device, V3Settings settings, HttpClient http, CheckpointStore store,
                          V3Poller.Publisher publisher, V3Poller.Rejects rejects, DeviceStatusRegistry status,
                          Map<String, String> environment, Clock clock, Runnable wake) {
        this.device = device;
        this.settings = settings;
        this.http = http;
        this.store = store;
        this.publisher = publisher;
        this.rejects = rejects;
        this.status = status;
        this.environment = environment;
        this.clock = clock;
        this.wake = wake;
        this.ctx = SourceContext.of(FETCH_CHANNEL, device.host().orElse(null))
                .withDevice(device.id(), device.site(), device.door(), device.direction());
    }

    /** The device's inventory id. */
    public String id() {
        return device.id();
    }

    /** The inventory entry. */
    public DeviceConfig device() {
        return device;
    }

    /** Runs one polling cycle; returns whether the device is caught up. Throws what the cycle threw. */
    public V3PollScheduler.Outcome poll() throws Exception {
        lock.lock();
        try {
            V3Poller.Result r;
            try {
                r = poller().poll();
            } catch (Exception e) {
                confirmedCaughtUp = false;
                throw e;
            }
            record(r);
            confirmedCaughtUp = r.caughtUp();
            return r.caughtUp() ? V3PollScheduler.Outcome.CAUGHT_UP : V3PollScheduler.Outcome.BEHIND;
        } finally {
            lock.unlock();
        }
    }

    private V3Poller poller() {
        if (poller == null) {
            String token = device.token().resolve(environment);
            V3EventClient client = new V3EventClient(http, device.address(), device.v3().apiVersion(), token,
                    settings.requestTimeout());
            poller = new V3Poller(client, store, publisher, rejects, ctx, options(), clock);
        }
        return poller;
    }

    private V3Poller.Options options() {
        DeviceConfig.V3Polling v3 = device.v3();
        DeviceConfig.FirstContact first = v3.firstContact();
        return switch (first.mode()) {
            case ALL -> new V3Poller.Options(v3.pageSize(), settings.maxPagesPerCycle(), V3Poller.StartPosition.EARLIEST);
            case NEW -> new V3Poller.Options(v3.pageSize(), settings.maxPagesPerCycle(), V3Poller.StartPosition.LATEST);
            case SINCE -> new V3Poller.Options(v3.pageSize(), settings.maxPagesPerCycle(), V3Poller.StartPosition.SINCE,
                    first.since());
        };
    }

    private void record(V3Poller.Result r) {
        String id = device.id();
        status.channel(id, CHANNEL, DeviceState.CONNECTED, null);
        if (r.published() > 0) {
            status.stored(id, r.published(), null);
        }
        if (r.gaps() > 0) {
            status.count(id, "gaps", r.gaps());
            status.count(id, "lostEvents", r.lostEvents());
        }
        if (r.resetDetected()) {
            status.count(id, "resets", 1);
        }
        if (r.invalid() > 0) {
            status.count(id, "quarantined", r.invalid());
        }
        if (r.skippedAtFirstContact() > 0) {
            status.count(id, "firstContactSkipped", r.skippedAtFirstContact());
        }
        status.gauge(id, "v3.lag", r.lag());
        status.gauge(id, "v3.checkpoint", r.checkpoint().lastSeqnum());
    }

    /** Records a failed poll in the device's status; the reason never holds event contents or the token. */
    public void failed(Throwable cause) {
        status.count(device.id(), "pollErrors", 1);
        status.channel(device.id(), CHANNEL, stateOf(cause), reasonOf(cause));
    }

    /**
     * The device reported an event that is now in the broker. The seqnum right after the
     * checkpoint moves the checkpoint (only while the last poll confirmed the device caught up, and
     * never during a poll); any other seqnum asks for a poll at once, which backfills a gap and
     * detects a reset. Never throws.
     *
     * @param seqnum    the reported event's seqnum
     * @param timestamp its raw timestamp
     */
    public void reported(long seqnum, Long timestamp) {
        status.channel(device.id(), REPORT_CHANNEL, DeviceState.CONNECTED, null);
        if (!lock.tryLock()) {
            wake.run();
            return;
        }
        try {
            Optional<Checkpoint> loaded = store.load(device.id());
            if (loaded.isEmpty()) {
                wake.run();
                return;
            }
            Checkpoint cp = loaded.get();
            if (seqnum == cp.lastSeqnum() + 1 && confirmedCaughtUp) {
                Checkpoint next = new Checkpoint(seqnum, timestamp, cp.deviceMin(), Math.max(cp.deviceMax(), seqnum),
                        cp.epoch(), clock.instant());
                store.save(device.id(), next);
                status.gauge(device.id(), "v3.checkpoint", seqnum);
                status.gauge(device.id(), "v3.lag", Math.max(0, next.deviceMax() - seqnum));
            } else if (seqnum != cp.lastSeqnum()) {
                if (seqnum > cp.lastSeqnum() + 1) {
                    LOG.debug("Device {} reported seqnum {} after checkpoint {}: fetching the gap", device.id(), seqnum,
                            cp.lastSeqnum());
                }
                confirmedCaughtUp = false;
                wake.run();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Device {}: checkpoint not moved after event-report: {}", device.id(), e.getMessage());
            wake.run();
        } finally {
            lock.unlock();
        }
    }

    static DeviceState stateOf(Throwable e) {
        if (e instanceof V3ProtocolException || e instanceof SSLHandshakeException) {
            // reachable, but refusing: a protocol error, or a certificate the inventory does not trust
            return DeviceState.FAILING;
        }
        if (e instanceof IOException) {
            return DeviceState.DISCONNECTED;
        }
        return DeviceState.FAILING;
    }

    String reasonOf(Throwable e) {
        if (e instanceof V3ProtocolException) {
            return e.getMessage();
        }
        if (e instanceof HttpTimeoutException) {
            return "device did not answer within " + settings.requestTimeout().toMillis() + " ms";
        }
        if (e instanceof SSLHandshakeException) {
            return "TLS handshake failed: " + (e.getMessage() == null ? "certificate not trusted" : e.getMessage());
        }
        if (e instanceof ConnectException) {
            return "device not reachable: " + (e.getMessage() == null ? "connection refused" : e.getMessage());
        }
        if (e instanceof IOException) {
            return "device call failed: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
        }
        if (e instanceof JMSException) {
            return "events not stored, broker: " + e.getMessage();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    @Override
    public String toString() {
        return "V3DevicePoller[" + device.id() + "]";
    }
}
