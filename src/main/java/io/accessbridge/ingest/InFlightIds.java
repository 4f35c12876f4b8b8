package io.accessbridge.ingest;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The duplicate ids of the events this bridge process is sending to the broker right now, shared by every
 * publisher (the {@code direct:publish} route through {@link PublishOncePolicy}, the v3 pages through
 * {@link io.accessbridge.broker.EventPublisher}). The broker's duplicate detection checks its id cache and adds the
 * id when the send commits, so two copies sent at the same moment can both pass the check and both be stored; a
 * publisher therefore {@linkplain #claim claims} an id before it sends and releases it once the broker confirmed
 * (or refused) that send, and a second copy waits for the first, is sent after it is stored, and is dropped.
 *
 * <p>A claim is held by no thread (a batch releases it from the broker's confirmation callback). A claimer that
 * holds other claims only ever waits for ids of other publishers, each of which holds one claim and does not wait
 * while holding it, so claims cannot deadlock; every wait is bounded anyway.
 */
public final class InFlightIds {

    private final ConcurrentHashMap<String, Claim> sending = new ConcurrentHashMap<>();
    private final long maxWaitNanos;

    /**
     * @param maxWait how long a copy waits for another copy of its id to be stored (or refused) before it gives
     *                up with a {@link TimeoutException}; longer than a send may take
     */
    public InFlightIds(Duration maxWait) {
        this.maxWaitNanos = maxWait.toNanos();
    }

    /**
     * Waits until no other copy of {@code id} is being sent, then claims it.
     *
     * @return the claim; release it once the broker confirmed or refused the send
     * @throws TimeoutException when another copy was still being sent after the maximum wait
     */
    public Claim claim(String id) throws InterruptedException, TimeoutException {
        Objects.requireNonNull(id, "id");
        Claim mine = new Claim(id);
        long deadline = System.nanoTime() + maxWaitNanos;
        while (true) {
            Claim other = sending.putIfAbsent(id, mine);
            if (other == null) {
                return mine;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("another copy of event " + id + " was still being sent after "
                        + TimeUnit.NANOSECONDS.toMillis(maxWaitNanos) + " ms");
            }
            try {
                other.done.get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // the loop gives up at the deadline
            }
        }
    }

    /** How many ids are claimed now. */
    public int size() {
        return sending.size();
    }

    /** One id being sent; {@link #release} is idempotent and may be called from any thread. */
    public final class Claim implements AutoCloseable {

        private final String id;
        private final CompletableFuture<Void> done = new CompletableFuture<>();

        private Claim(String id) {
            this.id = id;
        }

        /** The claimed id. */
        public String id() {
            return id;
        }

        /** Ends the claim: the send was confirmed or refused. */
        public void release() {
            sending.remove(id, this);
            done.complete(null);
        }

        @Override
        public void close() {
            release();
        }
    }
}
