package io.accessbridge.v1;

/** Exchange properties a remote-verification step may set to shape the push reply (spec 001). */
public final class V1Replies {

    /** Boolean: the {@code data.pass} to answer instead of echoing the device's own decision. */
    public static final String PASS_OVERRIDE = "bridge.v1.passOverride";
    /** String, at most 10 characters: {@code data.customtips} shown on the device's screen. */
    public static final String CUSTOM_TIPS = "bridge.v1.customTips";

    private V1Replies() {
    }
}
