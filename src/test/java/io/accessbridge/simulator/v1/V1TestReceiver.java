package io.accessbridge.simulator.v1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** A tiny push receiver for tests: records every request and answers what the test programs. */
final class V1TestReceiver implements AutoCloseable {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String OK_BODY = "{\"code\":200,\"msg\":\"success\",\"data\":{}}";

    /** What to answer; {@code delayMillis} holds the reply back (to provoke a client timeout). */
    record Reply(int status, String body, long delayMillis) {
        static Reply ok() {
            return new Reply(200, OK_BODY, 0);
        }

        static Reply of(int status, String body) {
            return new Reply(status, body, 0);
        }
    }

    /** One received push. */
    record Received(String path, String body, JsonNode json) {
        String key() {
            JsonNode data = json.get("data");
            if (data.has("uuid")) {
                return data.get("uuid").asText();
            }
            if (json.get("type").asInt() == 1) {
                return data.get("trace_id").asText() + ":" + data.get("status").asInt();
            }
            return data.toString();
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Received> received = new ArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile IntFunction<Reply> responder = n -> Reply.ok();

    V1TestReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/", ex -> {
            int n = requests.getAndIncrement();
            String body;
            try (InputStream in = ex.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            synchronized (received) {
                received.add(new Received(ex.getRequestURI().getPath(), body, MAPPER.readTree(body)));
            }
            Reply r = responder.apply(n);
            if (r.delayMillis() > 0) {
                try {
                    Thread.sleep(r.delayMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] out = r.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(r.status(), out.length == 0 ? -1 : out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            } catch (IOException e) {
                // client gave up (timeout)
            }
        });
        server.start();
    }

    /** Answers per request index (0-based, counting every request). */
    V1TestReceiver respond(IntFunction<Reply> f) {
        this.responder = f;
        return this;
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    int requestCount() {
        return requests.get();
    }

    List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** Keys of received records, in order of receipt, each once. */
    List<String> distinctKeys() {
        LinkedHashSet<String> keys = new LinkedHashSet<>();
        for (Received r : received()) {
            keys.add(r.key());
        }
        return List.copyOf(keys);
    }

    List<String> keys() {
        return received().stream().map(Received::key).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
