package io.accessbridge.ingest;

import io.netty.handler.codec.DecoderException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.WebServerRequest;
import io.vertx.ext.web.impl.RoutingContextInternal;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.support.CamelContextHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@code multipart/form-data} or {@code application/x-www-form-urlencoded} body sent to a
 * device input exactly as sent, so that it is answered and quarantined like any other bad input.
 *
 * <p>camel-platform-http-vertx puts Vert.x Web's body handler in front of each consumer. For these
 * two content types that handler decodes the body instead of keeping it (form fields become request
 * attributes, file parts are streamed to temporary files, a multipart body is not buffered at all),
 * answers 400 itself when its decoder refuses the body (a multipart body without its closing
 * delimiter but with a file part is not answered at all), and the consumer hands the route the
 * decoded fields (as headers and a map), never the bytes. This handler is a Vert.x route ahead of the
 * consumer's on the same path: for those content types it reads the body itself, with the same size
 * limit ({@code camel.server.max-body-size}, 413 beyond it, as the body handler answers), marks the
 * body as read so that the body handler passes the request on untouched (nothing is decoded or
 * written to disk), and leaves the bytes on the routing context, where {@link #restore} makes them
 * the message body. Any other content type (JSON) goes straight on: its body is read once, by the
 * body handler, as before.
 *
 * <p>Marking the body as read takes Vert.x Web's {@link RoutingContextInternal} (the body handler
 * asks it, there is no public way); V1PushFuzzIT and V3ReportIT fail if a Vert.x upgrade changes that.
 * Left to the body handler, as before: such a body over HTTP/2 (h2c) without a Content-Length. It can
 * only be passed on after its end, and the consumer then resumes the request, which an ended HTTP/2
 * request refuses.
 */
public final class FormBodyCapture implements Handler<RoutingContext> {

    /** Routing-context key of the kept body (a {@link Buffer}). */
    static final String RAW_BODY = "bridge.rawFormBody";
    /** Ahead of every route the platform-http consumers add (they are numbered from 0). */
    static final int ORDER = -1_000;

    private static final Logger LOG = LoggerFactory.getLogger(FormBodyCapture.class);
    private static final String MULTIPART = "multipart/form-data";
    private static final String URLENCODED = "application/x-www-form-urlencoded";

    /** Largest body read, bytes; -1 for no limit. */
    private final long limit;

    FormBodyCapture(long limit) {
        this.limit = limit;
    }

    /**
     * Puts the handler ahead of the platform-http consumers of the given routes (those present),
     * on their paths, for POST.
     *
     * @return the paths it was put on
     * @throws IllegalStateException when there is no platform-http router (no HTTP server)
     */
    public static List<String> install(CamelContext context, String... routeIds) {
        List<String> paths = new ArrayList<>();
        for (String id : routeIds) {
            Route route = context.getRoute(id);
            if (route != null && route.getEndpoint() instanceof PlatformHttpEndpoint endpoint) {
                paths.add(vertxPath(endpoint));
            }
        }
        if (paths.isEmpty()) {
            return paths;
        }
        VertxPlatformHttpRouter router = CamelContextHelper.findSingleByType(context, VertxPlatformHttpRouter.class);
        if (router == null) {
            throw new IllegalStateException("no platform-http router to put the form body capture on");
        }
        VertxPlatformHttpServer server = router.getServer();
        Long max = server == null ? null : server.getMaxBodySize();
        FormBodyCapture handler = new FormBodyCapture(max == null || max < 0 ? -1 : max);
        for (String path : paths) {
            router.route(path).order(ORDER).method(HttpMethod.POST).handler(handler);
        }
        LOG.info("Form and multipart bodies POSTed to {} are read as sent (up to {} bytes), not decoded", paths,
                handler.limit < 0 ? "any number of" : handler.limit);
        return paths;
    }

    /** The path as the platform-http consumer gives it to Vert.x ({@code *} for a prefix, {@code :name} parameters). */
    static String vertxPath(PlatformHttpEndpoint endpoint) {
        String path = endpoint.getPath();
        if (endpoint.isMatchOnUriPrefix() && !path.endsWith("*")) {
            path += "*";
        }
        return path.replaceAll("\\{([^/}]+)\\}", ":$1");
    }

    /**
     * Makes a body kept by this handler the message body. The platform-http consumer leaves the body
     * of a form or multipart request empty; any other body (JSON) is left as it is.
     */
    public static void restore(Message message) {
        if (message.getBody() != null) {
            return;
        }
        if (message instanceof HttpMessage http && http.getRequest() instanceof WebServerRequest web
                && web.routingContext().get(RAW_BODY) instanceof Buffer kept) {
            message.setBody(kept.getBytes());
        }
    }

    /**
     * Whether the HTTP server would decode a body of this content type as a form: it starts, in any
     * case, with {@code multipart/form-data} or {@code application/x-www-form-urlencoded}. Allocates
     * nothing (it is asked for every push).
     */
    static boolean isForm(String contentType) {
        if (contentType == null) {
            return false;
        }
        int from = 0;
        while (from < contentType.length() && Character.isWhitespace(contentType.charAt(from))) {
            from++;
        }
        return contentType.regionMatches(true, from, MULTIPART, 0, MULTIPART.length())
                || contentType.regionMatches(true, from, URLENCODED, 0, URLENCODED.length());
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        // the body handler reads the raw header, the consumer the parsed one: either decides
        boolean form = isForm(request.getHeader(HttpHeaders.CONTENT_TYPE))
                || isForm(ctx.parsedHeaders().contentType().value());
        boolean http2 = request.version() == HttpVersion.HTTP_2;
        boolean chunked = !http2 && request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
        // a chunked body's length is unknown, whatever Content-Length says
        long length = chunked ? -1 : contentLength(request);
        if (!form || !(ctx instanceof RoutingContextInternal internal)
                || internal.seenHandler(RoutingContextInternal.BODY_HANDLER)
                || http2 && length < 0) {
            // an HTTP/2 body of unknown length can only be passed on once it has ended, and the
            // consumer's resume() refuses an ended HTTP/2 request: left to the body handler
            ctx.next();
            return;
        }
        // from here on the body handler passes the request on without reading or decoding it
        internal.visitHandler(RoutingContextInternal.BODY_HANDLER);
        if (length == 0 || length < 0 && !chunked) {
            keep(ctx, Buffer.buffer()); // no body
            return;
        }
        if (limit >= 0 && length > limit) {
            ctx.fail(413);
            return;
        }
        String expect = request.getHeader(HttpHeaders.EXPECT);
        if (expect != null) {
            if (!expect.equalsIgnoreCase("100-continue")) {
                ctx.fail(417);
                return;
            }
            if (request.version() != HttpVersion.HTTP_1_0) {
                ctx.response().writeContinue();
            }
        }
        if (request.isEnded()) {
            ctx.fail(new IllegalStateException("the request body was read before the form body capture"));
            return;
        }
        Reader reader = new Reader(ctx, length);
        request.exceptionHandler(reader::failed);
        request.handler(reader);
        request.endHandler(reader::ended);
        request.resume();
    }

    private static void keep(RoutingContext ctx, Buffer body) {
        ctx.put(RAW_BODY, body);
        ctx.next();
    }

    private static long contentLength(HttpServerRequest request) {
        String value = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (value == null || value.isEmpty()) {
            return -1;
        }
        try {
            long n = Long.parseLong(value.trim());
            return n < 0 ? -1 : n;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Reads one request's body into a buffer, up to the limit, and passes the request on once it
     * has the whole body: on its last byte when the length was announced (before the end event:
     * the consumer resumes the request, which an ended HTTP/2 request refuses), else at its end.
     * Runs on the request's event loop.
     */
    private final class Reader implements Handler<Buffer> {
        private final RoutingContext ctx;
        private final long length;
        private final Buffer body;
        private long read;
        /** Passed on, or failed: whatever comes later is not this reader's business. */
        private boolean done;

        Reader(RoutingContext ctx, long length) {
            this.ctx = ctx;
            this.length = length;
            this.body = Buffer.buffer(length > 0 && length <= 65_535 ? (int) length : 1024);
        }

        @Override
        public void handle(Buffer chunk) {
            if (done) {
                return;
            }
            read += chunk.length();
            if (limit >= 0 && read > limit) {
                done = true;
                ctx.fail(413);
                return;
            }
            body.appendBuffer(chunk);
            if (length >= 0 && read >= length) {
                done = true;
                keep(ctx, body);
            }
        }

        void ended(Void ignored) {
            if (!done && !ctx.failed()) {
                done = true;
                keep(ctx, body);
            }
        }

        void failed(Throwable t) {
            if (done || ctx.failed()) {
                return;
            }
            done = true;
            if (t instanceof DecoderException && t.getCause() != null) {
                ctx.fail(400, t.getCause());
            } else if (t instanceof DecoderException) {
                ctx.fail(400, t);
            } else {
                ctx.fail(t);
            }
        }
    }
}
