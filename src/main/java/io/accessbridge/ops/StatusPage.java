package io.accessbridge.ops;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Serves the status page ({@code GET /status}) and its script and style from the jar
 * ({@code src/main/resources/io/accessbridge/ops/status/}): plain HTML, CSS and JavaScript, no build step, nothing
 * loaded from elsewhere.
 */
public final class StatusPage {

    private static final String BASE = "/io/accessbridge/ops/status/";
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "status.js", "text/javascript; charset=utf-8",
            "status.css", "text/css; charset=utf-8");

    /** Answers {@code /status}, {@code /status/} and {@code /status/<file>}; 404 for anything else. */
    public void serve(Exchange exchange) throws IOException {
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class);
        String uri = exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class);
        String name = fileName(path != null ? path : uri);
        Message m = exchange.getMessage();
        m.getHeaders().clear();
        String type = FILES.get(name);
        InputStream in = type == null ? null : StatusPage.class.getResourceAsStream(BASE + name);
        if (in == null) {
            m.setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
            m.setHeader(Exchange.CONTENT_TYPE, "text/plain");
            m.setBody("not found");
            return;
        }
        try (in) {
            m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            m.setHeader(Exchange.CONTENT_TYPE, type);
            m.setHeader("Cache-Control", "no-cache");
            m.setBody(in.readAllBytes());
        }
    }

    /** The file a request path names: the page itself for {@code /status} and {@code /status/}. */
    static String fileName(String path) {
        if (path == null) {
            return "index.html";
        }
        String p = path;
        int q = p.indexOf('?');
        if (q >= 0) {
            p = p.substring(0, q);
        }
        int i = p.indexOf("/status");
        if (i >= 0) {
            p = p.substring(i + "/status".length());
        }
        p = p.replaceFirst("^/+", "");
        return p.isEmpty() ? "index.html" : p;
    }

    /** {@code GET /}: a redirect to the status page. */
    public void redirect(Exchange exchange) {
        Message m = exchange.getMessage();
        m.getHeaders().clear();
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 302);
        m.setHeader("Location", "/status");
        m.setBody("");
    }
}
