package io.accessbridge.target.fakes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;

/** A loopback HTTP server (JDK httpserver) that records every request and answers through {@link #handle}. */
public abstract class FakeHttpServer implements AutoCloseable {

    /** A request as received. */
    public record Request(String method, String path, Map<String, String> headers, byte[] body, long receivedAtNanos) {
        /** The body as UTF-8 text. */
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** A header, by lower-case name. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** An answer. */
    public record Response(int status, String contentType, String body, Map<String, String> headers) {
        /** A JSON answer. */
        public static Response json(int status, String body) {
            return new Response(status, "application/json", body, Map.of());
        }

        /** A plain-text answer with extra headers. */
        public static Response text(int status, String body, Map<String, String> headers) {
            return new Response(status, "text/plain", body, headers);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

    protected FakeHttpServer() {
        this(0, true);
    }

    /**
     * A server bound to loopback port {@code port} (0: a free one); when {@code startNow} is false it answers once
     * the subclass, fully set up, calls {@link #start()}.
     */
    protected FakeHttpServer(int port, boolean startNow) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::serve);
        server.setExecutor(Executors.newFixedThreadPool(4));
        if (startNow) {
            server.start();
        }
    }

    /** Starts answering (for a server made with {@code startNow} false). */
    protected final void start() {
        server.start();
    }

    /** The answer to one request. */
    protected abstract Response handle(Request request) throws Exception;

    /** The base URL, {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every request so far. */
    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
        byte[] body = exchange.getRequestBody().readAllBytes();
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, body,
                System.nanoTime());
        requests.add(request);
        Response response;
        try {
            response = handle(request);
        } catch (Exception e) {
            response = Response.text(500, "fake server error: " + e, Map.of());
        }
        byte[] out = response.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(response.status(), out.length == 0 ? -1 : out.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(out);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
