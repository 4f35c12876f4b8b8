package io.accessbridge.consumers;

import static org.assertj.core.api.Assertions.assertThat;

import io.accessbridge.testing.Fixtures;
import io.accessbridge.testing.RunningBridge;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's non-Java consumer, step by step, as a STOMP 1.2 client over a plain socket:
 * subscribe to the events address and receive a pushed event.
 */
class StompConsumerIT {

    @TempDir
    Path data;

    @Test
    void stompClientSubscribedToTheEventsAddressReceivesTheCloudEvent() throws Exception {
        try (RunningBridge bridge = RunningBridge.start(data);
             Socket socket = new Socket("127.0.0.1", Integer.parseInt(URI.create(bridge.brokerUrl()).getPort() + ""))) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            send(out, "CONNECT\naccept-version:1.2\nhost:localhost\n\n");
            assertThat(readFrame(in)).startsWith("CONNECTED");
            send(out, "SUBSCRIBE\nid:1\ndestination:access.events\nsubscription-type:MULTICAST\nack:auto\nreceipt:sub-1\n\n");
            assertThat(readFrame(in)).as("subscription accepted").startsWith("RECEIPT");

            HttpResponse<String> pushed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(bridge.pushUrl()))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.bytes("v1/002-recognition.json"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(pushed.statusCode()).isEqualTo(200);

            String frame = readFrame(in);
            assertThat(frame).startsWith("MESSAGE");
            assertThat(frame).contains("cloudEvents_type:io.accessbridge.access.granted");
            assertThat(frame).contains("cloudEvents_id:4d3987c1-a3b3-470b-9fb7-e114772c069c");
            assertThat(frame).contains("\"specversion\":\"1.0\"").contains("\"kind\":\"access.granted\"");
            send(out, "DISCONNECT\n\n");
        }
    }

    private static void send(OutputStream out, String frame) throws Exception {
        out.write(frame.getBytes(StandardCharsets.UTF_8));
        out.write(0);
        out.flush();
    }

    /** One frame up to its NUL, skipping heart-beat newlines before it. */
    private static String readFrame(InputStream in) throws Exception {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == 0) {
                break;
            }
            if (frame.size() == 0 && (b == '\n' || b == '\r')) {
                continue;
            }
            frame.write(b);
        }
        return frame.toString(StandardCharsets.UTF_8);
    }
}
