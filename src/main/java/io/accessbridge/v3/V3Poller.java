package io.accessbridge.v3;

import com.fasterxml.jackson.databind.node.TextNode;
import io.accessbridge.canonical.Timestamps;
import io.accessbridge.checkpoint.Checkpoint;
import io.accessbridge.checkpoint.CheckpointStore;
import io.accessbridge.ingest.InvalidEventException;
import io.accessbridge.ingest.JsonFields;
import io.accessbridge.ingest.NormalizedEvent;
import io.accessbridge.ingest.SourceContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device's polling cycle over the v3 event log, without Camel: {@code event-info}, then
 * {@code event-fetch} pages from the checkpoint up to {@code max}; each page is normalised and
 * sent through the {@link Publisher}'s pipeline, the next page is fetched, and the checkpoint of a
 * page is saved only after the publisher confirmed that page (one device request in flight at a
 * time; the broker stores page n while page n+1 is fetched).
 *
 * <p>Loss and resets: when the device's {@code min} has passed the checkpoint, the overwritten range
 * is published as one {@code device.gap} event and reading continues from {@code min}. A reset
 * (seqnums restarted) is detected when {@code max} falls below what was seen before, or when the
 * event at the checkpoint's seqnum has another timestamp than the one read; the checkpoint's epoch is
 * then incremented and reading restarts from the new {@code min}. Events seen but not yet read
 * before a reset are reported as a gap. Event ids include the timestamp, so re-used seqnums give new ids.
 *
 * <p>Events the normaliser rejects are handed to the {@link Rejects} callback (the bridge puts them
 * on the quarantine queue) before the checkpoint passes them, counted in {@link Result#invalid()},
 * and reading goes on, so that one bad record cannot stall a device. An {@code event-fetch} page the
 * bridge cannot read at all ({@link V3UnreadableReplyException}, e.g. a number longer than the JSON
 * reader allows) is read again one event at a time; a one-event reply that is still unreadable in
 * {@value #UNREADABLE_ATTEMPTS} cycles in a row is handed to {@link Rejects#rejectUnreadable} as
 * received, and the checkpoint passes that seqnum. Not thread-safe: run one cycle
 * per device at a time.
 */
public final class V3Poller {

    private static final Logger LOG = LoggerFactory.getLogger(V3Poller.class);
    /** Cycles in a row a one-event reply must be unreadable before it is quarantined and passed. */
    static final int UNREADABLE_ATTEMPTS = 3;

    /** Receives normalised events; returns only once they are durably stored (e.g. committed to the broker). */
    @FunctionalInterface
    public interface Publisher {
        /** Stores the events, in order; throws when they are not all stored. */
        void publish(List<NormalizedEvent> events) throws Exception;

        /**
         * Opens the ordered pipeline of one cycle: batches sent through it are stored in the order
         * sent, and each batch's {@link Confirmation} returns once that batch is stored. The poller
         * sends a page, fetches the next one, and only then waits for the confirmation, so device and
         * broker work overlap; the checkpoint still moves only after the confirmation. Default: each
         * batch is published synchronously by {@link #publish}.
         */
        default Pipeline pipeline() throws Exception {
            return events -> {
                publish(events);
                return Confirmation.DONE;
            };
        }
    }

    /** Batches stored in the order sent; see {@link Publisher#pipeline()}. */
    @FunctionalInterface
    public interface Pipeline extends AutoCloseable {
        /** Starts storing the events, after those sent before. */
        Confirmation send(List<NormalizedEvent> events) throws Exception;

        @Override
        default void close() throws Exception {
        }
    }

    /** Waits until one batch is stored. */
    @FunctionalInterface
    public interface Confirmation {
        /** Returns once the batch is stored; throws when it is not. */
        void await() throws Exception;

        /** A batch that is already stored. */
        Confirmation DONE = () -> { };
    }

    /**
     * Receives the device events the normaliser rejected; returns only once they are durably kept
     * (e.g. on the quarantine queue). The checkpoint moves past them only after that.
     */
    @FunctionalInterface
    public interface Rejects {
        /**
         * Keeps one rejected event.
         *
         * @param event  the event as the device returned it
         * @param reason why it was rejected, safe to log (names the field, never its value)
         */
        void reject(V3Event event, String reason) throws Exception;

        /**
         * Keeps the reply to a one-event {@code event-fetch} at {@code seqnum} that could not be read
         * at all. Default: kept as a JSON string in place of the event, through {@link #reject}.
         *
         * @param seqnum the seqnum asked for
         * @param reply  the reply body as received
         * @param reason why it could not be read, safe to log
         */
        default void rejectUnreadable(long seqnum, byte[] reply, String reason) throws Exception {
            reject(new V3Event(seqnum, TextNode.valueOf(new String(reply, StandardCharsets.UTF_8))), reason);
        }

        /** Only logs the seqnum and the reason (tests; the bridge quarantines). */
        Rejects LOG_ONLY = (event, reason) -> LOG.warn("skipping event {}: {}", event.seqnum(), reason);
    }

    /** Where a device without a checkpoint starts. */
    public enum StartPosition {
        /**
         * From the oldest event the device still holds (default: nothing falls on the floor). What the
         * device overwrote before its first poll is not reported as a gap.
         */
        EARLIEST,
        /** After the newest event: only events logged from now on. */
        LATEST,
        /**
         * From the first event whose timestamp is at or after {@link Options#since()}, found by a
         * binary search over the device's log (which assumes the device clock moved forward). The
         * timestamps are the device's: a device clock that is behind makes recent events look older
         * than {@code since}, and they are skipped, counted in {@link Result#skippedAtFirstContact()}
         * and logged; one that is ahead makes older events look newer, and they are read.
         */
        SINCE
    }

    /**
     * Poller options.
     *
     * @param limit    events asked for per {@code event-fetch} (default 100)
     * @param maxPages pages fetched per cycle at most, so a long backlog does not hold one cycle
     *                 forever (default 50); {@link Result#caughtUp()} tells whether more is waiting
     * @param start    where a device without a checkpoint starts (default {@link StartPosition#EARLIEST})
     * @param since    the first event time to read for {@link StartPosition#SINCE}, else {@code null}
     */
    public record Options(int limit, int maxPages, StartPosition start, Instant since) {

        /** limit 100, maxPages 50, EARLIEST. */
        public static final Options DEFAULTS = new Options(100, 50, StartPosition.EARLIEST);

        public Options {
            if (limit <= 0 || maxPages <= 0) {
                throw new IllegalArgumentException("limit and maxPages must be positive");
            }
            Objects.requireNonNull(start, "start");
            if (start == StartPosition.SINCE && since == null) {
                throw new IllegalArgumentException("start SINCE needs a since instant");
            }
        }

        /** Options without a since instant. */
        public Options(int limit, int maxPages, StartPosition start) {
            this(limit, maxPages, start, null);
        }
    }

    /**
     * The outcome of one cycle.
     *
     * @param fetched       device events received (new ones, overlap re-reads excluded)
     * @param published     canonical events handed to the publisher, gap events included
     * @param invalid       device events the normaliser rejected, handed to {@link Rejects}
     * @param caughtUp      whether the checkpoint reached the device's {@code max} seen at the start
     * @param gapFound      whether events were lost on the device (a {@code device.gap} was published)
     * @param gaps          how many {@code device.gap} events were published
     * @param lostEvents    how many seqnums the published gaps cover
     * @param resetDetected whether a device reset was detected (the epoch was incremented)
     * @param checkpoint    the checkpoint after the cycle
     * @param skippedAtFirstContact events the device held that the first contact's start position
     *                      ({@link StartPosition#LATEST}, {@link StartPosition#SINCE}) passed over, by
     *                      configuration; 0 in every later cycle
     */
    public record Result(int fetched, int published, int invalid, boolean caughtUp, boolean gapFound, int gaps,
                         long lostEvents, boolean resetDetected, Checkpoint checkpoint, long skippedAtFirstContact) {

        /** Events behind the device's newest one after the cycle ({@code max} seen minus checkpoint). */
        public long lag() {
            return Math.max(0, checkpoint.deviceMax() - checkpoint.lastSeqnum());
        }
    }

    private final V3EventClient client;
    private final CheckpointStore store;
    private final Publisher publisher;
    private final Rejects rejects;
    private final SourceContext ctx;
    private final Options options;
    private final Clock clock;
    private final String deviceId;
    /** Read one event at a time up to this seqnum (a page there was unreadable). */
    private long isolateThrough = -1;
    /** The seqnum whose one-event reply was unreadable, and in how many cycles in a row. */
    private long unreadableSeqnum = -1;
    private int unreadableAttempts;

    /**
     * @param client    the device's client
     * @param store     where the checkpoint lives
     * @param publisher where events go
     * @param rejects   where events the normaliser rejects go
     * @param ctx       the device's context; {@code ctx.deviceId()} is required and names the checkpoint
     * @param options   {@link Options#DEFAULTS} or others
     * @param clock     stamps checkpoints and gap events
     */
    public V3Poller(V3EventClient client, CheckpointStore store, Publisher publisher, Rejects rejects,
                    SourceContext ctx, Options options, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.store = Objects.requireNonNull(store, "store");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.rejects = Objects.requireNonNull(rejects, "rejects");
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.deviceId = Objects.requireNonNull(ctx.deviceId(), "ctx.deviceId()");
    }

    /** A poller whose rejected events are only logged ({@link Rejects#LOG_ONLY}). */
    public V3Poller(V3EventClient client, CheckpointStore store, Publisher publisher, SourceContext ctx,
                    Options options, Clock clock) {
        this(client, store, publisher, Rejects.LOG_ONLY, ctx, options, clock);
    }

    /** A poller with {@link Options#DEFAULTS} and the system clock. */
    public V3Poller(V3EventClient client, CheckpointStore store, Publisher publisher, SourceContext ctx) {
        this(client, store, publisher, ctx, Options.DEFAULTS, Clock.systemUTC());
    }

    /**
     * Runs one cycle. Any exception (device, publisher, store) ends the cycle; the checkpoint then
     * stands at the last page that was published, and the next cycle continues from there.
     */
    public Result poll() throws Exception {
        return new Cycle().run();
    }

    private final class Cycle {
        int fetched;
        int published;
        int invalid;
        boolean gapFound;
        int gaps;
        long lost;
        boolean reset;
        long skipped;
        Checkpoint cp;
        Pipeline pipeline;
        PendingPage pending;

        Result run() throws Exception {
            V3EventInfo info = client.info();
            Optional<Checkpoint> loaded = store.load(deviceId);
            if (loaded.isEmpty()) {
                long last = info.isEmpty() ? 0 : switch (options.start()) {
                    case EARLIEST -> Math.max(0, info.min() - 1);
                    case LATEST -> info.max();
                    case SINCE -> firstAtOrAfter(info, options.since()) - 1;
                };
                if (!info.isEmpty() && last >= info.min()) {
                    skipped = last - info.min() + 1;
                    if (options.start() == StartPosition.SINCE) {
                        LOG.warn("device {}: first contact since {}: {} of its events ({}..{}) are stamped earlier by"
                                + " the device's clock and are not read{}", deviceId, options.since(), skipped,
                                info.min(), last, last == info.max() ? " (all it holds: it logged nothing since then,"
                                        + " or its clock is behind; firstContact all reads them)" : "");
                    } else {
                        LOG.info("device {}: first contact: its {} events ({}..{}) are not read, only new ones",
                                deviceId, skipped, info.min(), last);
                    }
                }
                cp = new Checkpoint(last, null, info.min(), info.max(), 0, now());
                store.save(deviceId, cp);
            } else {
                cp = loaded.get();
                if (info.max() < cp.lastSeqnum() || info.max() < cp.deviceMax()) {
                    resetTo(info);
                }
            }
            if (info.isEmpty()) {
                saveRange(info);
                return result(info);
            }
            skipLost(info);

            long next = cp.lastSeqnum() + 1;
            boolean verify = cp.lastTimestamp() != null && cp.lastSeqnum() >= info.min();
            int pages = 0;
            pipeline = publisher.pipeline();
            try {
                while (next <= info.max() && pages < options.maxPages()) {
                    boolean isolating = next <= isolateThrough;
                    int limit = !isolating ? options.limit() : verify ? 2 : 1;
                    List<V3Event> page;
                    try {
                        page = client.fetch(verify ? next - 1 : next, limit);
                    } catch (V3UnreadableReplyException unreadable) {
                        pages++;
                        if (!isolating && options.limit() > 1) {
                            isolateThrough = next + options.limit() - 1;
                            LOG.warn("device {}: event-fetch page from {} unreadable ({}); reading it one event at a time",
                                    deviceId, next, unreadable.getMessage());
                            continue;
                        }
                        next = passUnreadable(next, info, unreadable);
                        verify = false;
                        continue;
                    }
                    pages++;
                    if (verify) {
                        verify = false;
                        if (!page.isEmpty() && page.get(0).seqnum() == next - 1
                                && !Objects.equals(timestampOf(page.get(0)), cp.lastTimestamp())) {
                            LOG.warn("device {}: event {} changed its timestamp, the device was reset", deviceId,
                                    next - 1);
                            completePending();
                            resetTo(info);
                            skipLost(info);
                            next = cp.lastSeqnum() + 1;
                            continue;
                        }
                    }
                    long expected = next;
                    List<V3Event> fresh = page.stream().filter(e -> e.seqnum() >= expected).toList();
                    if (fresh.isEmpty()) {
                        LOG.warn("device {}: event-fetch from {} returned no new events below max {}", deviceId, next,
                                info.max());
                        break;
                    }
                    V3Event last = fresh.get(fresh.size() - 1);
                    sendPage(fresh, next, new Checkpoint(last.seqnum(), timestampOf(last), info.min(), info.max(),
                            cp.epoch(), now()));
                    next = last.seqnum() + 1;
                }
                completePending();
            } catch (Exception e) {
                try {
                    completePending();
                } catch (Exception again) {
                    e.addSuppressed(again);
                }
                throw e;
            } finally {
                pipeline.close();
            }
            saveRange(info);
            return result(info);
        }

        /** A page sent to the publisher whose checkpoint waits for the confirmation. */
        private record PendingPage(Confirmation confirmation, int size, List<V3Event> rejected, List<String> reasons,
                                   Checkpoint checkpoint) {
        }

        /**
         * A one-event reply at {@code seqnum} could not be read: the cycle ends with the error until it
         * has failed {@value #UNREADABLE_ATTEMPTS} cycles in a row; then the reply is kept through
         * {@link Rejects#rejectUnreadable} and the checkpoint passes the seqnum.
         *
         * @return the seqnum to read next
         */
        private long passUnreadable(long seqnum, V3EventInfo info, V3UnreadableReplyException unreadable)
                throws Exception {
            unreadableAttempts = seqnum == unreadableSeqnum ? unreadableAttempts + 1 : 1;
            unreadableSeqnum = seqnum;
            if (unreadableAttempts < UNREADABLE_ATTEMPTS) {
                throw unreadable;
            }
            completePending();
            LOG.warn("device {}: event {} unreadable in {} cycles in a row ({}); quarantined and passed", deviceId,
                    seqnum, unreadableAttempts, unreadable.getMessage());
            rejects.rejectUnreadable(seqnum, unreadable.reply(), unreadable.getMessage());
            invalid++;
            cp = new Checkpoint(seqnum, null, info.min(), info.max(), cp.epoch(), now());
            store.save(deviceId, cp);
            unreadableSeqnum = -1;
            unreadableAttempts = 0;
            return seqnum + 1;
        }

        /** Normalises and sends a page, then completes the page sent before it. */
        private void sendPage(List<V3Event> events, long next, Checkpoint checkpoint) throws Exception {
            List<NormalizedEvent> out = new ArrayList<>(events.size());
            List<V3Event> rejected = new ArrayList<>();
            List<String> reasons = new ArrayList<>();
            long expected = next;
            for (V3Event e : events) {
                if (e.seqnum() > expected) {
                    out.add(gap(expected, e.seqnum() - 1));
                }
                fetched++;
                try {
                    out.add(V3EventNormalizer.normalize(e.json(), ctx));
                } catch (InvalidEventException ex) {
                    rejected.add(e);
                    reasons.add(ex.getMessage());
                }
                expected = e.seqnum() + 1;
            }
            Confirmation confirmation = out.isEmpty() ? Confirmation.DONE : pipeline.send(List.copyOf(out));
            PendingPage page = new PendingPage(confirmation, out.size(), rejected, reasons, checkpoint);
            completePending();
            pending = page;
        }

        /** Waits for the pending page to be stored, hands over its rejected events, then saves its checkpoint. */
        private void completePending() throws Exception {
            PendingPage page = pending;
            if (page == null) {
                return;
            }
            pending = null;
            page.confirmation().await();
            published += page.size();
            for (int i = 0; i < page.rejected().size(); i++) {
                rejects.reject(page.rejected().get(i), page.reasons().get(i));
                invalid++;
            }
            cp = page.checkpoint();
            store.save(deviceId, cp);
        }

        /** The first seqnum whose event happened at or after {@code since}; {@code max + 1} when none did. */
        private long firstAtOrAfter(V3EventInfo info, Instant since) throws Exception {
            long lo = info.min();
            long hi = info.max() + 1;
            while (lo < hi) {
                long mid = lo + (hi - lo) / 2;
                List<V3Event> page = client.fetch(mid, 1);
                if (page.isEmpty()) {
                    hi = mid;
                    continue;
                }
                V3Event e = page.get(0);
                Long ts = timestampOf(e);
                if (ts == null || !Timestamps.fromUnix(ts).isBefore(since)) {
                    hi = mid;
                } else {
                    lo = e.seqnum() + 1;
                }
            }
            LOG.info("device {}: first contact from {}: starting at seqnum {} of {}..{}", deviceId, since, lo,
                    info.min(), info.max());
            return Math.max(lo, 1);
        }

        /** Publishes the range between the checkpoint and the device's min as lost, and moves past it. */
        private void skipLost(V3EventInfo info) throws Exception {
            if (info.min() > cp.lastSeqnum() + 1) {
                NormalizedEvent g = gap(cp.lastSeqnum() + 1, info.min() - 1);
                publisher.publish(List.of(g));
                published++;
                cp = new Checkpoint(info.min() - 1, null, info.min(), info.max(), cp.epoch(), now());
                store.save(deviceId, cp);
            }
        }

        /** Starts the next epoch; the events seen but not read before the reset are published as lost. */
        private void resetTo(V3EventInfo info) throws Exception {
            isolateThrough = -1;
            LOG.warn("device {}: reset detected (checkpoint {} of max {}, device now {}..{}), epoch {}", deviceId,
                    cp.lastSeqnum(), cp.deviceMax(), info.min(), info.max(), cp.epoch() + 1);
            if (cp.deviceMax() > cp.lastSeqnum()) {
                publisher.publish(List.of(gap(cp.lastSeqnum() + 1, cp.deviceMax())));
                published++;
            }
            cp = cp.nextEpoch(info.min(), info.max(), now());
            store.save(deviceId, cp);
            reset = true;
        }

        private NormalizedEvent gap(long from, long to) {
            LOG.warn("device {}: events {}..{} were lost on the device before they could be fetched", deviceId, from, to);
            gapFound = true;
            gaps++;
            lost += to - from + 1;
            return V3EventNormalizer.gap(from, to, cp.epoch(), now(), ctx);
        }

        private void saveRange(V3EventInfo info) throws Exception {
            if (cp.deviceMin() != info.min() || cp.deviceMax() != info.max()) {
                cp = cp.seen(info.min(), info.max(), now());
                store.save(deviceId, cp);
            }
        }

        private Result result(V3EventInfo info) {
            return new Result(fetched, published, invalid, cp.lastSeqnum() >= info.max(), gapFound, gaps, lost, reset,
                    cp, skipped);
        }
    }

    private Instant now() {
        return clock.instant();
    }

    private static Long timestampOf(V3Event e) {
        try {
            return JsonFields.integer(e.json(), "timestamp");
        } catch (InvalidEventException ex) {
            return null;
        }
    }
}
