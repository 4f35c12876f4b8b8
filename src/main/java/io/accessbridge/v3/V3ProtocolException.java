package io.accessbridge.v3;

import java.io.IOException;

/**
 * A v3 device answered, but not with a usable reply: HTTP status other than 200, malformed
 * JSON, a missing or mistyped field, a {@code reqid} that is not the one sent, or
 * {@code retcode != 0}. The message names the action and the problem (and the retcode);
 * it never contains event contents or the token, so it is safe to log.
 */
public class V3ProtocolException extends IOException {

    private final Integer retcode;
    private final int httpStatus;

    /**
     * @param message    what went wrong, without personal data or secrets
     * @param httpStatus the HTTP status of the reply, or 0 when not relevant
     * @param retcode    the device's retcode, or {@code null} when the reply had none
     */
    public V3ProtocolException(String message, int httpStatus, Integer retcode) {
        super(message);
        this.httpStatus = httpStatus;
        this.retcode = retcode;
    }

    /** The device's {@code retcode}, or {@code null} when the reply carried none. */
    public Integer retcode() {
        return retcode;
    }

    /** The HTTP status of the reply, or 0 when not relevant. */
    public int httpStatus() {
        return httpStatus;
    }
}
