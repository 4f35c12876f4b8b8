package io.accessbridge.simulator.v1;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.Socket;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The threads simulated devices share: one Vert.x (device HTTP API and WebSocket servers), one
 * {@link HttpClient} (HTTP push) and one small scheduler (sender loops, retries, generation).
 * A fleet of 1,000 devices runs on a handful of threads; nothing blocks or busy-waits.
 */
public final class V1SimRuntime implements AutoCloseable {

    /**
     * Runtime options.
     *
     * @param eventLoopThreads  Vert.x event loop threads
     * @param schedulerThreads  threads of the shared scheduler
     * @param httpClientThreads threads of the push client's executor
     * @param connectTimeout    TCP connect timeout of HTTP push
     * @param pushSslContext    TLS context of HTTPS push; {@code null} trusts every certificate
     *                          and skips host name checks, as devices in the field do
     */
    public record Options(int eventLoopThreads, int schedulerThreads, int httpClientThreads,
                          Duration connectTimeout, SSLContext pushSslContext) {

        /** Two event loops, two scheduler threads, two client threads, 5 s connect timeout, trust all. */
        public static Options defaults() {
            return new Options(2, 2, 2, Duration.ofSeconds(5), null);
        }

        /** With the given push TLS context. */
        public Options withPushSslContext(SSLContext ctx) {
            return new Options(eventLoopThreads, schedulerThreads, httpClientThreads, connectTimeout, ctx);
        }
    }

    private final Vertx vertx;
    private final HttpClient httpClient;
    private final ExecutorService httpExecutor;
    private final ScheduledExecutorService scheduler;

    private V1SimRuntime(Options options) {
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(options.eventLoopThreads())
                .setWorkerPoolSize(2).setInternalBlockingPoolSize(2));
        this.httpExecutor = Executors.newFixedThreadPool(options.httpClientThreads(), daemon("v1sim-push"));
        ScheduledThreadPoolExecutor stpe = new ScheduledThreadPoolExecutor(options.schedulerThreads(),
                daemon("v1sim-sched"));
        stpe.setRemoveOnCancelPolicy(true);
        this.scheduler = stpe;
        SSLContext ssl = options.pushSslContext() != null ? options.pushSslContext() : trustAllContext();
        this.httpClient = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(options.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .sslContext(ssl)
                .executor(httpExecutor)
                .build();
    }

    /** A runtime with default options. */
    public static V1SimRuntime create() {
        return new V1SimRuntime(Options.defaults());
    }

    /** A runtime with the given options. */
    public static V1SimRuntime create(Options options) {
        return new V1SimRuntime(options);
    }

    /** The shared Vert.x instance. */
    public Vertx vertx() {
        return vertx;
    }

    /** The shared push client (HTTP/1.1). */
    public HttpClient httpClient() {
        return httpClient;
    }

    /** The shared scheduler. */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Stops the scheduler, the client's executor and Vert.x. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        httpExecutor.shutdownNow();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // closing anyway
        }
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** A TLS context that accepts any server certificate and host name. */
    public static SSLContext trustAllContext() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException("cannot create TLS context", e);
        }
    }

    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
