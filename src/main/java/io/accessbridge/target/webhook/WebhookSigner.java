package io.accessbridge.target.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook requests per the Standard Webhooks specification (symmetric scheme): the signed content is
 * {@code <webhook-id>.<webhook-timestamp>.<body>}, the signature {@code v1,<base64 HMAC-SHA256>}. Each secret
 * is {@code whsec_<base64 key>} (the prefix is optional) of at least 24 bytes; with several secrets (key
 * rotation) the header carries one signature per secret, space-separated, the receiver accepting any.
 */
public final class WebhookSigner {

    /** Prefix of serialised symmetric secrets. */
    public static final String SECRET_PREFIX = "whsec_";
    private static final int MIN_KEY_BYTES = 24;

    private final List<byte[]> keys;

    /** A signer with {@code secrets}, current first. */
    public WebhookSigner(List<String> secrets) {
        if (secrets.isEmpty()) {
            throw new IllegalStateException("a webhook signing secret is required");
        }
        this.keys = secrets.stream().map(WebhookSigner::key).toList();
    }

    /** The key bytes of a {@code whsec_} secret. */
    public static byte[] key(String secret) {
        String b64 = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        byte[] key;
        try {
            key = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("a webhook secret must be whsec_ followed by base64");
        }
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalStateException("a webhook secret must hold at least " + MIN_KEY_BYTES + " bytes");
        }
        return key;
    }

    /** The {@code webhook-signature} header value for one request. */
    public String sign(String webhookId, long timestamp, String body) {
        byte[] content = (webhookId + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8);
        return keys.stream().map(k -> "v1," + Base64.getEncoder().encodeToString(hmac(k, content)))
                .collect(Collectors.joining(" "));
    }

    /**
     * The {@code webhook-id} of an event: its id, with {@code .} written {@code %2E} because the
     * specification forbids dots in the id (they would make the signed content ambiguous).
     */
    public static String webhookId(String eventId) {
        return eventId.replace("%", "%25").replace(".", "%2E");
    }

    private static byte[] hmac(byte[] key, byte[] content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(content);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
