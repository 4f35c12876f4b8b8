package io.accessbridge.ops;

import io.accessbridge.ingest.HttpInput;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may use the operators' API and page ({@code /api/*}, {@code /status}): anyone who reaches the port
 * while {@code bridge.ops.token} is empty; otherwise only a request carrying that token, either as
 * {@code Authorization: Bearer <token>} (scripts, the {@code devices} command) or as the password of
 * HTTP Basic authentication with any user name (a browser asks for it when the status page answers 401).
 * Device inputs and {@code /observe/*} (health probes, Prometheus) are not affected.
 *
 * <p>The token is compared in constant time, the {@code Authorization} header is removed from the
 * exchange once checked, and a refusal is logged with the path and the caller's address only.
 */
public final class OpsAccess {

    /** Realm of the {@code WWW-Authenticate} challenge. */
    public static final String REALM = "access-event-bridge";

    private static final Logger LOG = LoggerFactory.getLogger(OpsAccess.class);

    private final byte[] token;

    /** @param token the token operators present; null or blank leaves the API open */
    public OpsAccess(String token) {
        this.token = token == null || token.isBlank() ? null : token.strip().getBytes(StandardCharsets.UTF_8);
    }

    /** Whether a token is required. */
    public boolean protectedByToken() {
        return token != null;
    }

    /**
     * Lets the request through or throws {@link OpsAccessDeniedException}.
     *
     * @param exchange a request of a {@code platform-http} route
     */
    public void check(Exchange exchange) {
        Message m = exchange.getMessage();
        String authorization = authorization(m);
        m.removeHeader("Authorization");
        if (token == null || presents(authorization)) {
            return;
        }
        LOG.warn("Operations API request refused ({} credentials): {} {} from {}",
                authorization == null ? "no" : "wrong", m.getHeader(Exchange.HTTP_METHOD),
                m.getHeader(Exchange.HTTP_PATH), HttpInput.remoteAddress(exchange));
        throw new OpsAccessDeniedException();
    }

    /** The {@code 401} answer to a refused request, with a Basic challenge so that a browser asks. */
    public void denied(Exchange exchange) {
        Message m = exchange.getMessage();
        m.getHeaders().clear();
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 401);
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setHeader("Cache-Control", "no-store");
        m.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
        m.setBody("{\"error\":\"unauthorized\",\"detail\":\"this bridge's operations API needs its token "
                + "(Authorization: Bearer <bridge.ops.token>)\"}");
    }

    /**
     * The request's {@code Authorization} header as the client sent it. platform-http also copies query
     * parameters into the message headers, so a message header could come from {@code ?Authorization=...}:
     * a token in a URL ends up in browser histories and proxy logs, and is not accepted.
     */
    private static String authorization(Message m) {
        if (m instanceof HttpMessage http && http.getRequest() != null) {
            return http.getRequest().getHeader("Authorization");
        }
        return m.getHeader("Authorization", String.class);
    }

    boolean presents(String authorization) {
        if (authorization == null) {
            return false;
        }
        String value = authorization.strip();
        int space = value.indexOf(' ');
        if (space < 0) {
            return false;
        }
        String scheme = value.substring(0, space);
        String credentials = value.substring(space + 1).strip();
        if (scheme.equalsIgnoreCase("Bearer")) {
            return matches(credentials.getBytes(StandardCharsets.UTF_8));
        }
        if (scheme.equalsIgnoreCase("Basic")) {
            byte[] decoded;
            try {
                decoded = Base64.getDecoder().decode(credentials);
            } catch (IllegalArgumentException e) {
                return false;
            }
            String userAndPassword = new String(decoded, StandardCharsets.UTF_8);
            int colon = userAndPassword.indexOf(':');
            return colon >= 0 && matches(userAndPassword.substring(colon + 1).getBytes(StandardCharsets.UTF_8));
        }
        return false;
    }

    private boolean matches(byte[] presented) {
        return MessageDigest.isEqual(token, presented);
    }

    /** A request to the operations API without the configured token. */
    public static final class OpsAccessDeniedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OpsAccessDeniedException() {
            super("operations API token missing or wrong", null, false, false);
        }
    }
}
