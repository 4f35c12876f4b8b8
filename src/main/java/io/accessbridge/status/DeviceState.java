package io.accessbridge.status;

/** Whether the bridge currently reaches a device on a channel. */
public enum DeviceState {
    /** Not tried yet since start. */
    UNKNOWN,
    /** Reachable: the last call or connection succeeded. */
    CONNECTED,
    /** Not reachable: the last call failed or the connection is down. */
    DISCONNECTED,
    /** Reachable but refusing: the device answered with an error (wrong token, retcode, refused subscription). */
    FAILING
}
