package io.accessbridge.target.fakes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A receiver's verification of Standard Webhooks signatures, written from the specification alone (not from
 * the bridge's signer): recompute {@code v1} = base64(HMAC-SHA256(key, id + "." + timestamp + "." + body)) with
 * the base64 key after {@code whsec_}, accept when any space-separated {@code v1,} signature matches in
 * constant time and the timestamp is within the tolerance.
 */
public final class StandardWebhooksVerifier {

    private final byte[] key;
    private final Duration tolerance;

    /** A verifier for one {@code whsec_} secret. */
    public StandardWebhooksVerifier(String secret, Duration tolerance) {
        String b64 = secret.substring(secret.indexOf('_') + 1);
        this.key = Base64.getDecoder().decode(b64);
        this.tolerance = tolerance;
    }

    /** The expected {@code v1,...} signature. */
    public String expected(String id, String timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    }

    /** Whether the headers sign {@code body} and the timestamp is fresh at {@code now}. */
    public boolean verify(String id, String timestamp, String signatureHeader, byte[] body, Instant now)
            throws Exception {
        if (id == null || timestamp == null || signatureHeader == null) {
            return false;
        }
        long ts = Long.parseLong(timestamp);
        if (Math.abs(now.getEpochSecond() - ts) > tolerance.toSeconds()) {
            return false;
        }
        byte[] expected = expected(id, timestamp, body).getBytes(StandardCharsets.US_ASCII);
        for (String candidate : signatureHeader.split(" ")) {
            if (candidate.startsWith("v1,")
                    && MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.US_ASCII))) {
                return true;
            }
        }
        return false;
    }
}
