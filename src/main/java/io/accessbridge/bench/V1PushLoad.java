package io.accessbridge.bench;

import io.accessbridge.simulator.v1.V1LatencyRecorder;
import io.accessbridge.simulator.v1.V1RecordGenerator;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A lean load generator for the push benchmark: {@code devices} v1 devices, each with one record in
 * flight and re-sending until it gets {@code 200} with {@code code} 200 (the device behaviour that
 * matters for throughput), on a non-blocking Vert.x HTTP client, so that on a 2-core machine the
 * figures describe the bridge rather than the load generator. The records are generated before
 * the clock starts. The full device simulator
 * ({@code simulate}) is the one to use for behaviour; this one is for speed.
 */
public final class V1PushLoad {

    /** Figures of one run. */
    public record Result(long acknowledged, long retries, double seconds, V1LatencyRecorder.Summary latency) {

        /** Acknowledged events per second. */
        public double rate() {
            return acknowledged / seconds;
        }

        /** One line for humans. */
        public String toLine() {
            return String.format(Locale.ROOT, "events=%d seconds=%.2f rate=%.0f events/s ack %s retries=%d",
                    acknowledged, seconds, rate(), latency.toMillisString(), retries);
        }
    }

    private V1PushLoad() {
    }

    /**
     * Pushes {@code perDevice} generated records from each of {@code devices} devices to {@code pushBase/<serial>}
     * ({@code http}, or {@code https} trusting what the JVM's default trust store trusts).
     */
    public static Result run(String pushBase, int devices, int perDevice, String serialPrefix, long seed)
            throws Exception {
        List<List<Buffer>> records = new ArrayList<>();
        for (int d = 1; d <= devices; d++) {
            V1RecordGenerator generator = V1RecordGenerator.seeded(seed * 1_000_003L + d);
            String serial = String.format(Locale.ROOT, "%s%06d", serialPrefix, d);
            List<Buffer> own = new ArrayList<>(perDevice);
            for (int i = 0; i < perDevice; i++) {
                own.add(Buffer.buffer(generator.next(serial).json()));
            }
            records.add(own);
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        URI base = URI.create(pushBase);
        boolean tls = "https".equalsIgnoreCase(base.getScheme());
        int port = base.getPort() != -1 ? base.getPort() : tls ? 443 : 80;
        HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                .setSsl(tls).setDefaultHost(base.getHost()).setDefaultPort(port), new PoolOptions().setHttp1MaxSize(devices));
        AtomicLong retries = new AtomicLong();
        List<V1LatencyRecorder> recorders = new ArrayList<>();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (int d = 1; d <= devices; d++) {
                String serial = String.format(Locale.ROOT, "%s%06d", serialPrefix, d);
                V1LatencyRecorder recorder = new V1LatencyRecorder();
                recorders.add(recorder);
                CompletableFuture<Void> finished = new CompletableFuture<>();
                done.add(finished);
                new Device(http, base.getPath() + "/" + serial, records.get(d - 1), recorder, retries, finished)
                        .sendNext();
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
            double seconds = (System.nanoTime() - start) / 1e9;
            V1LatencyRecorder.Summary summary = V1LatencyRecorder.merged(recorders);
            return new Result(summary.count(), retries.get(), seconds, summary);
        } finally {
            http.close();
            vertx.close();
        }
    }

    private static final class Device {
        private final HttpClient http;
        private final String path;
        private final List<Buffer> records;
        private final V1LatencyRecorder recorder;
        private final AtomicLong retries;
        private final CompletableFuture<Void> finished;
        private int next;
        private Buffer current;

        Device(HttpClient http, String path, List<Buffer> records, V1LatencyRecorder recorder, AtomicLong retries,
               CompletableFuture<Void> finished) {
            this.http = http;
            this.path = path;
            this.records = records;
            this.recorder = recorder;
            this.retries = retries;
            this.finished = finished;
        }

        void sendNext() {
            if (next == records.size()) {
                finished.complete(null);
                return;
            }
            current = records.get(next++);
            send();
        }

        void send() {
            long t = System.nanoTime();
            http.request(new RequestOptions().setMethod(HttpMethod.POST).setURI(path)
                            .putHeader("Content-Type", "application/json"))
                    .compose(req -> req.send(current))
                    .compose(resp -> resp.body().map(body -> resp.statusCode() == 200 && ok(body)))
                    .onComplete(ar -> {
                        if (ar.succeeded() && ar.result()) {
                            recorder.record(System.nanoTime() - t);
                            sendNext();
                        } else {
                            retries.incrementAndGet();
                            send();
                        }
                    });
        }

        private static boolean ok(Buffer body) {
            try {
                return new JsonObject(body).getInteger("code", 0) == 200;
            } catch (RuntimeException e) {
                return false;
            }
        }
    }
}
