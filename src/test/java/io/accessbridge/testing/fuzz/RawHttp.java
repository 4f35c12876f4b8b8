package io.accessbridge.testing.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 requests over a plain socket, for what a regular client will not send: a body trickled
 * a few bytes per write, a body cut off before its announced length, chunked bodies, any
 * Content-Type (or none), and a chosen source address (any of 127.0.0.0/8 on loopback).
 */
public final class RawHttp {

    /** How the body goes on the wire. */
    public enum Mode {
        /** Content-Length, the body in one write. */
        WHOLE,
        /** Content-Length, the body a byte (or a few) per write, with pauses. */
        TRICKLE,
        /** Transfer-Encoding: chunked, chunks of a few hundred bytes. */
        CHUNKED,
        /** Content-Length of the whole body, half of it sent, then the connection is closed. */
        CUT_OFF
    }

    /** An answer: status and body as text. */
    public record Answer(int status, String body) {
    }

    private RawHttp() {
    }

    /**
     * Sends one request and reads the answer; {@code null} for {@link Mode#CUT_OFF} (nothing is read).
     *
     * @param from        the local address to send from; {@code null} for the default
     * @param contentType {@code null} for no Content-Type header
     */
    public static Answer send(InetAddress from, int port, String method, String path, String contentType, byte[] body,
                              Mode mode) throws IOException, InterruptedException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port, from, 0)) {
            socket.setSoTimeout(20_000);
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\n");
            if (contentType != null) {
                head.append("Content-Type: ").append(contentType).append("\r\n");
            }
            head.append(mode == Mode.CHUNKED ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + body.length + "\r\n")
                    .append("Connection: close\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            switch (mode) {
                case WHOLE -> out.write(body);
                case TRICKLE -> trickle(out, body, body.length);
                case CUT_OFF -> {
                    trickle(out, body, body.length / 2);
                    return null;
                }
                case CHUNKED -> {
                    int step = Math.max(1, Math.min(512, body.length / 5 + 1));
                    for (int at = 0; at < body.length; at += step) {
                        int n = Math.min(step, body.length - at);
                        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        out.write(body, at, n);
                        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
            }
            out.flush();
            return readResponse(socket.getInputStream());
        }
    }

    private static void trickle(OutputStream out, byte[] body, int sent) throws IOException, InterruptedException {
        int step = Math.max(1, sent / 150);
        for (int at = 0; at < sent; at += step) {
            out.write(body, at, Math.min(step, sent - at));
            out.flush();
            Thread.sleep(1);
        }
    }

    private static Answer readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before the answer's headers ended: " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        int length = -1;
        boolean chunked = false;
        for (String line : lines) {
            String lower = line.toLowerCase();
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        byte[] body;
        if (chunked) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                String size = readLine(in).trim();
                int n = Integer.parseInt(size.split(";")[0], 16);
                if (n == 0) {
                    break;
                }
                out.write(in.readNBytes(n));
                readLine(in);
            }
            body = out.toByteArray();
        } else {
            body = length >= 0 ? in.readNBytes(length) : in.readAllBytes();
        }
        return new Answer(status, new String(body, StandardCharsets.UTF_8));
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }
}
