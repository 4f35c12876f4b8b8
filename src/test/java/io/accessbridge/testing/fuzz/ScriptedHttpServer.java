package io.accessbridge.testing.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A tiny HTTP/1.1 server on a raw socket that answers each request with whatever bytes the test
 * scripts, written in chunks with pauses: well-formed replies, malformed status lines and headers,
 * bodies shorter than announced, bodies trickled slowly, no answer at all. It reads each request
 * fully and keeps what it received, so tests can check what the client sent.
 */
public final class ScriptedHttpServer implements AutoCloseable {

    /** The request as received. */
    public record Request(String requestLine, String headers, byte[] body) {

        /** A header's value (first one), or {@code null}. */
        public String header(String name) {
            for (String line : headers.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        /** The body as UTF-8 text. */
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * What to write back: chunks of bytes, each after a pause; then the connection is closed
     * (after {@code holdOpenMillis} when the script wants the client to wait for more).
     */
    public record Answer(List<byte[]> chunks, long pauseMillis, long holdOpenMillis) {

        /** All at once, then close. */
        public static Answer of(byte[] bytes) {
            return new Answer(List.of(bytes), 0, 0);
        }
    }

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "scripted-http");
        t.setDaemon(true);
        return t;
    });
    private final AtomicReference<Function<Request, Answer>> script = new AtomicReference<>();
    private final AtomicReference<Request> last = new AtomicReference<>();
    private volatile boolean closed;

    private ScriptedHttpServer(ServerSocket server) {
        this.server = server;
    }

    /** Starts on a free loopback port. */
    public static ScriptedHttpServer start() throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ScriptedHttpServer server = new ScriptedHttpServer(s);
        server.threads.execute(server::acceptLoop);
        return server;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Answers every following request with {@code answer.apply(request)}. */
    public void answerWith(Function<Request, Answer> answer) {
        last.set(null);
        script.set(answer);
    }

    /** The last request received since {@link #answerWith}, or {@code null}. */
    public Request lastRequest() {
        return last.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                threads.execute(() -> serve(socket));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            Request request = read(in);
            if (request == null) {
                return;
            }
            last.set(request);
            Answer answer = script.get().apply(request);
            OutputStream out = socket.getOutputStream();
            for (byte[] chunk : answer.chunks()) {
                if (answer.pauseMillis() > 0) {
                    Thread.sleep(answer.pauseMillis());
                }
                out.write(chunk);
                out.flush();
            }
            if (answer.holdOpenMillis() > 0) {
                Thread.sleep(answer.holdOpenMillis());
            }
        } catch (SocketException e) {
            // the client gave up (timeout) and closed: expected for slow answers
        } catch (IOException | InterruptedException e) {
            // nothing to do: the connection ends here
        }
    }

    private static Request read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > 64 * 1024) {
                return null;
            }
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int firstLine = text.indexOf("\r\n");
        Request headersOnly = new Request(text.substring(0, firstLine), text.substring(firstLine + 2), new byte[0]);
        String length = headersOnly.header("Content-Length");
        byte[] body = length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length.trim()));
        return new Request(headersOnly.requestLine(), headersOnly.headers(), body);
    }

    /** A status line, headers and body; adds {@code Content-Length} and {@code Connection: close}. */
    public static byte[] response(int status, String contentType, byte[] body) {
        String head = "HTTP/1.1 " + status + " " + reason(status) + "\r\n"
                + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[h.length + body.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(body, 0, out, h.length, body.length);
        return out;
    }

    private static String reason(int status) {
        return status == 200 ? "OK" : "Something";
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        threads.shutdownNow();
    }
}
