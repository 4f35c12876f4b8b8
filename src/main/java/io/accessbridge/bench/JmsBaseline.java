package io.accessbridge.bench;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * What the broker allows: {@code producers} threads each sending persistent messages with a
 * blocking send (one in flight, like a device), to a queue of their own address. The bridge's
 * figures are reported as a ratio of this.
 */
public final class JmsBaseline {

    /** Throughput and latency of the baseline. */
    public record Result(double rate, double p50Millis, double p99Millis) {
    }

    private JmsBaseline() {
    }

    /** Sends {@code total} messages of {@code size} bytes with {@code producers} blocking producers. */
    public static Result run(String url, int producers, int total, int size) throws Exception {
        ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(url);
        cf.setBlockOnDurableSend(true);
        String body = "x".repeat(size);
        long[] latencies = new long[total];
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        try (Connection c = cf.createConnection()) {
            List<Future<?>> futures = new ArrayList<>();
            long start = System.nanoTime();
            for (int p = 0; p < producers; p++) {
                futures.add(pool.submit(() -> {
                    try (Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
                        MessageProducer producer = s.createProducer(s.createQueue("bench.baseline"));
                        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
                        int i;
                        while ((i = next.getAndIncrement()) < total) {
                            long t = System.nanoTime();
                            producer.send(s.createTextMessage(body));
                            latencies[i] = System.nanoTime() - t;
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            long nanos = System.nanoTime() - start;
            Arrays.sort(latencies);
            return new Result(total / (nanos / 1e9), latencies[total / 2] / 1e6, latencies[(int) (total * 0.99)] / 1e6);
        } finally {
            pool.shutdownNow();
        }
    }
}
