package io.accessbridge.privacy;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What personal data may leave the bridge. {@code pin} never does, whatever the policy.
 *
 * @param forwardImages whether face snapshots and alarm photos are kept (claim check) and linked
 * @param idNumbers     what happens to {@code id_number}: dropped, or replaced by a keyed hash
 * @param hashKey       secret key of the {@code id_number} HMAC; required for {@link IdNumberMode#HASH}
 * @param forwardNames  whether the person's display name is forwarded
 */
public record PrivacyPolicy(boolean forwardImages, IdNumberMode idNumbers, String hashKey, boolean forwardNames) {

    /** How {@code id_number} is treated. */
    public enum IdNumberMode {
        /** Never forwarded. */
        DROP,
        /** Forwarded as HMAC-SHA256 hex under {@link #hashKey}, so systems can match without knowing it. */
        HASH
    }

    /** The default: no images, no id numbers, names forwarded. */
    public static final PrivacyPolicy DEFAULT = new PrivacyPolicy(false, IdNumberMode.DROP, null, true);

    public PrivacyPolicy {
        if (idNumbers == IdNumberMode.HASH && (hashKey == null || hashKey.isBlank())) {
            throw new IllegalArgumentException("bridge.privacy.id-number=HASH needs bridge.privacy.hash-key");
        }
    }

    /** The forwarded form of an id number: {@code null} when dropped or empty, else its keyed hash. */
    public String idNumberHash(String idNumber) {
        if (idNumbers == IdNumberMode.DROP || idNumber == null || idNumber.isBlank()) {
            return null;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(hashKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(idNumber.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
