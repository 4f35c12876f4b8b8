package io.accessbridge.ingest;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.support.CamelContextHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failures of the HTTP server before a request reaches a route, told in the bridge's words instead of
 * Vert.x Web's {@code ERROR Unhandled exception in router}: a request whose connection closed before its
 * body ended (a device that lost its network mid-push; nothing was read, so nothing is kept and the device
 * sends again) is logged at INFO; a body over {@code camel.server.max-body-size} is answered 413 and logged
 * at WARN with its path and sender (the device keeps the record). Any other failure goes on to Vert.x's
 * default handling. Lines carry the method, path and address only.
 */
public final class HttpFailureLog implements Handler<RoutingContext> {

    /** Ahead of every other route's failure handler. */
    static final int ORDER = -2_000;

    private static final Logger LOG = LoggerFactory.getLogger(HttpFailureLog.class);

    HttpFailureLog() {
    }

    /**
     * Puts the handler on the platform-http router, for every path.
     *
     * @return whether there was a router to put it on
     */
    public static boolean install(CamelContext context) {
        VertxPlatformHttpRouter router = CamelContextHelper.findSingleByType(context, VertxPlatformHttpRouter.class);
        if (router == null) {
            return false;
        }
        router.route().order(ORDER).failureHandler(new HttpFailureLog());
        return true;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (ctx.failure() instanceof HttpClosedException || ctx.response().closed()) {
            LOG.info("{} {} from {}: the connection closed before the request ended; nothing was read or kept",
                    request.method(), request.path(), address(request));
            return;
        }
        if (ctx.statusCode() == 413) {
            LOG.warn("{} {} from {}: body over the server's limit (camel.server.max-body-size), answered 413 "
                    + "unread; a device keeps such a record", request.method(), request.path(), address(request));
            if (!ctx.response().ended()) {
                ctx.response().setStatusCode(413).putHeader("Content-Type", "text/plain").end("Request Entity Too Large");
            }
            return;
        }
        ctx.next();
    }

    private static String address(HttpServerRequest request) {
        SocketAddress a = request.remoteAddress();
        return a == null ? "?" : a.hostAddress();
    }
}
