package io.accessbridge.testing;

import io.accessbridge.bench.BridgeProcess;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Free loopback ports for test servers ({@link BridgeProcess#freePort}: below the outgoing connections' range). */
public final class FreePorts {

    private FreePorts() {
    }

    /** A port nothing listens on right now. */
    public static int next() {
        try {
            return BridgeProcess.freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
