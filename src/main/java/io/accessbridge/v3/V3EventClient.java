package io.accessbridge.v3;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.accessbridge.ingest.VendorJson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.accessbridge.ingest.InvalidEventException;
import io.accessbridge.ingest.JsonFields;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * Client of the legacy v3.x JSON-action event API (spec 004): every call is
 * {@code POST <base>/api/<apiVersion>/event} with header {@code token} and body
 * {@code {"action":..,"header":{"reqid":..},"body":{..}}}.
 *
 * <p>Each call carries a fresh {@code reqid} (digits only, as in the spec's examples) and the
 * reply must echo it. Anything but HTTP 200 with well-formed JSON, {@code retcode 0}, the same
 * {@code reqid} and the expected fields raises {@link V3ProtocolException}; network failures and
 * timeouts raise the {@link IOException} of the JDK client (a refused certificate: an
 * {@link javax.net.ssl.SSLHandshakeException}). Instances are thread-safe; devices on http share one
 * {@link HttpClient}, an https device with its own {@code tls} trust has its own ({@link V3HttpClients}).
 */
public final class V3EventClient {

    /** The API version path segment used when none is configured. */
    public static final String DEFAULT_API_VERSION = "v3.1";
    /** Connect timeout of {@link #newHttpClient()}. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Per-request timeout used when none is configured. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** The device's page size when {@code limit} is not sent (spec 004). */
    public static final int DEVICE_DEFAULT_LIMIT = 10;

    static final String ACTION_INFO = "event-info";
    static final String ACTION_FETCH = "event-fetch";

    private static final Pattern API_VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,15}");
    /** Spec 004's own reply examples carry trailing commas: the vendor reader accepts them. */
    private static final ObjectMapper MAPPER = VendorJson.MAPPER.copy()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpClient http;
    private final URI endpoint;
    private final String token;
    private final Duration requestTimeout;
    private final AtomicLong reqids;

    /**
     * @param http           the device's HTTP client (see {@link V3HttpClients})
     * @param baseUri        the device, e.g. {@code http://192.168.20.20:8080}
     * @param apiVersion     the API version path segment, e.g. {@code v3.1}; {@code null} for the default
     * @param token          the login token sent in the {@code token} header
     * @param requestTimeout how long one call may take, from sending to the end of the reply;
     *                       {@code null} for {@link #DEFAULT_REQUEST_TIMEOUT}
     */
    public V3EventClient(HttpClient http, URI baseUri, String apiVersion, String token, Duration requestTimeout) {
        this.http = Objects.requireNonNull(http, "http");
        Objects.requireNonNull(baseUri, "baseUri");
        String version = apiVersion == null ? DEFAULT_API_VERSION : apiVersion;
        if (!API_VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("apiVersion must look like v3.1");
        }
        String base = baseUri.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        this.endpoint = URI.create(base + "/api/" + version + "/event");
        this.token = Objects.requireNonNull(token, "token");
        this.requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
        // digits only, random start so that a restarted bridge does not repeat recent reqids
        this.reqids = new AtomicLong(100_000_000L + RANDOM.nextInt(800_000_000));
    }

    /** An HTTP/1.1 client with {@link #DEFAULT_CONNECT_TIMEOUT}. */
    public static HttpClient newHttpClient() {
        return newHttpClient(DEFAULT_CONNECT_TIMEOUT);
    }

    /** An HTTP/1.1 client (devices speak no HTTP/2) with the given connect timeout. */
    public static HttpClient newHttpClient(Duration connectTimeout) {
        return newHttpClient(connectTimeout, null);
    }

    /**
     * An HTTP/1.1 client with the given connect timeout whose https connections trust what
     * {@code sslContext} trusts ({@code null}: the JVM's default CAs); see {@link V3HttpClients}.
     */
    public static HttpClient newHttpClient(Duration connectTimeout, SSLContext sslContext) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (sslContext != null) {
            builder.sslContext(sslContext);
        }
        return builder.build();
    }

    /** The URL every call is posted to. */
    public URI endpoint() {
        return endpoint;
    }

    /** {@code event-info}: the seqnum range the device holds. */
    public V3EventInfo info() throws IOException, InterruptedException {
        JsonNode body = call(ACTION_INFO, null).body();
        try {
            long min = JsonFields.requiredInteger(body, "min");
            long max = JsonFields.requiredInteger(body, "max");
            if (min < 0 || max < 0) {
                throw new InvalidEventException("fields 'min' and 'max' must not be negative");
            }
            return new V3EventInfo(min, max);
        } catch (InvalidEventException e) {
            throw new V3ProtocolException(ACTION_INFO + ": body " + e.getMessage(), 200, 0);
        }
    }

    /**
     * {@code event-fetch} from a seqnum: at most {@code limit} events with seqnum &ge; {@code seqnum},
     * ascending. A device may return fewer than asked (its own page cap, or the end of its log).
     */
    public List<V3Event> fetch(long seqnum, int limit) throws IOException, InterruptedException {
        if (seqnum < 0) {
            throw new IllegalArgumentException("seqnum must not be negative");
        }
        return fetch("seqnum", seqnum, limit);
    }

    /** {@code event-fetch} by offset from the oldest stored event (offset 0 = {@code min}). */
    public List<V3Event> fetchAtOffset(long offset, int limit) throws IOException, InterruptedException {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative");
        }
        return fetch("offset", offset, limit);
    }

    private List<V3Event> fetch(String startField, long start, int limit) throws IOException, InterruptedException {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive");
        }
        ObjectNode request = MAPPER.createObjectNode();
        request.put(startField, start);
        request.put("limit", limit);
        Reply reply = call(ACTION_FETCH, request);
        JsonNode events = reply.body().get("events");
        if (events == null || events.isNull()) {
            throw new V3ProtocolException(ACTION_FETCH + ": body field 'events' is required", 200, 0);
        }
        if (!events.isArray()) {
            throw new V3ProtocolException(ACTION_FETCH + ": body field 'events' must be an array", 200, 0);
        }
        List<V3Event> result = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            JsonNode event = events.get(i);
            if (!event.isObject()) {
                throw new V3UnreadableReplyException(ACTION_FETCH + ": events[" + i + "] must be an object", reply.raw());
            }
            try {
                long seqnum = JsonFields.requiredInteger(event, "seqnum");
                if (seqnum < 0) {
                    throw new InvalidEventException("field 'seqnum' must not be negative");
                }
                result.add(new V3Event(seqnum, event));
            } catch (InvalidEventException e) {
                throw new V3UnreadableReplyException(ACTION_FETCH + ": events[" + i + "] " + e.getMessage(), reply.raw());
            }
        }
        result.sort(Comparator.comparingLong(V3Event::seqnum));
        return List.copyOf(result);
    }

    /** A reply's {@code body} and the whole reply as received. */
    private record Reply(JsonNode body, byte[] raw) {
    }

    /** Posts one action and returns the reply's {@code body} after every envelope check. */
    private Reply call(String action, ObjectNode requestBody) throws IOException, InterruptedException {
        String reqid = Long.toString(reqids.incrementAndGet());
        ObjectNode request = MAPPER.createObjectNode();
        request.put("action", action);
        request.putObject("header").put("reqid", reqid);
        if (requestBody != null) {
            request.set("body", requestBody);
        }
        HttpRequest httpRequest = HttpRequest.newBuilder(endpoint)
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("token", token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(MAPPER.writeValueAsBytes(request)))
                .build();
        HttpResponse<byte[]> response = send(action, httpRequest);
        int status = response.statusCode();
        if (status != 200) {
            throw new V3ProtocolException(action + ": HTTP status " + status, status, null);
        }
        JsonNode reply;
        try {
            reply = MAPPER.readTree(response.body());
        } catch (JsonProcessingException e) {
            // the parser's message quotes the input, which may hold personal data: not used
            String problem = action + ": reply is not well-formed JSON";
            if (ACTION_FETCH.equals(action)) {
                throw new V3UnreadableReplyException(problem, response.body());
            }
            throw new V3ProtocolException(problem, status, null);
        }
        if (reply == null || !reply.isObject()) {
            throw new V3ProtocolException(action + ": reply is not a JSON object", status, null);
        }
        Integer retcode;
        try {
            retcode = JsonFields.smallInteger(reply, "retcode");
        } catch (InvalidEventException e) {
            throw new V3ProtocolException(action + ": reply " + e.getMessage(), status, null);
        }
        if (retcode == null) {
            throw new V3ProtocolException(action + ": reply field 'retcode' is required", status, null);
        }
        if (retcode != 0) {
            throw new V3ProtocolException(action + ": device answered retcode " + retcode, status, retcode);
        }
        JsonNode header = reply.get("header");
        JsonNode echoed = header == null || !header.isObject() ? null : header.get("reqid");
        if (echoed == null || !(echoed.isTextual() || echoed.isIntegralNumber())) {
            throw new V3ProtocolException(action + ": reply field 'header.reqid' is missing", status, retcode);
        }
        if (!reqid.equals(echoed.asText())) {
            throw new V3ProtocolException(action + ": reply reqid does not match the request's",
                    status, retcode);
        }
        JsonNode body = reply.get("body");
        if (body == null || body.isNull()) {
            throw new V3ProtocolException(action + ": reply field 'body' is required", status, retcode);
        }
        if (!body.isObject()) {
            throw new V3ProtocolException(action + ": reply field 'body' must be an object", status, retcode);
        }
        return new Reply(body, response.body());
    }

    /**
     * Sends and reads the whole reply within {@link #requestTimeout}. The JDK client's own request
     * timeout ends when the headers arrive, so a device that trickles its body would hold the call
     * (and its poller) for as long as it likes; here the deadline covers the body too. A reply the
     * JDK client cannot parse as HTTP (it throws unchecked exceptions for some, e.g. a non-numeric
     * Content-Length) is a {@link V3ProtocolException}; its message does not quote the reply.
     */
    private HttpResponse<byte[]> send(String action, HttpRequest request) throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<byte[]>> reply =
                http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        try {
            return reply.get(requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            reply.cancel(true);
            throw new HttpTimeoutException("request timed out");
        } catch (InterruptedException e) {
            reply.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException) {
                throw new V3ProtocolException(action + ": reply is not well-formed HTTP", 0, null);
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException(action + ": request failed", cause);
        }
    }

    @Override
    public String toString() {
        return "V3EventClient[" + endpoint + "]";
    }
}
