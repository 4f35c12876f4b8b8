package io.accessbridge.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The memory of a running bridge as the bridge itself reports it, for a benchmark that cannot read
 * the process from outside (the bridge runs on another host): reads {@code /observe/metrics} every
 * {@code interval} on a daemon thread while a run goes on, and keeps the highest heap in use
 * ({@code jvm_memory_used_bytes{area="heap"}}), the highest memory the JVM had committed (heap and
 * non-heap pools, {@code jvm_memory_committed_bytes}: less than the resident size, which also holds
 * thread stacks, direct buffers and the JVM's own memory) and, where the bridge serves it, the highest
 * {@code process_resident_memory_bytes}. A peak between two samples is not seen.
 */
public final class BridgeMemorySampler implements AutoCloseable {

    /**
     * The highest figures seen, in bytes; {@code rssBytes} is -1 where the bridge serves no resident-size
     * meter, and every figure is -1 when no sample could be read ({@code samples} 0).
     */
    public record Peak(long heapUsedBytes, long committedBytes, long rssBytes, int samples) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI metrics;
    private final Duration interval;
    private final Thread thread;
    private volatile boolean running = true;
    private long heap = -1;
    private long committed = -1;
    private long rss = -1;
    private int samples;

    private BridgeMemorySampler(String baseUrl, Duration interval) {
        this.metrics = URI.create(baseUrl + "/observe/metrics");
        this.interval = interval;
        this.thread = new Thread(this::loop, "bridge-memory-sampler");
        this.thread.setDaemon(true);
    }

    /** Starts sampling the bridge at {@code baseUrl} (its first sample is taken before this returns). */
    public static BridgeMemorySampler start(String baseUrl, Duration interval) {
        BridgeMemorySampler sampler = new BridgeMemorySampler(baseUrl, interval);
        sampler.sample();
        sampler.thread.start();
        return sampler;
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            sample();
        }
    }

    private void sample() {
        String text;
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return;
            }
            text = r.body();
        } catch (IOException e) {
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        PrometheusText m = PrometheusText.parse(text);
        add(m.sum("jvm_memory_used_bytes", Map.of("area", "heap")), m.sum("jvm_memory_committed_bytes"),
                m.sum("process_resident_memory_bytes"));
    }

    private synchronized void add(double heapUsed, double committedNow, double rssNow) {
        if (Double.isNaN(heapUsed)) {
            return;
        }
        samples++;
        heap = Math.max(heap, (long) heapUsed);
        if (!Double.isNaN(committedNow)) {
            committed = Math.max(committed, (long) committedNow);
        }
        if (!Double.isNaN(rssNow)) {
            rss = Math.max(rss, (long) rssNow);
        }
    }

    /** The highest figures so far. */
    public synchronized Peak peak() {
        return new Peak(heap, committed, rss, samples);
    }

    /** Stops sampling after one last sample; {@link #peak()} then holds the figures of the whole run. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(15_000);
        sample();
    }
}
