package io.accessbridge;

/** Runs the bridge: {@code java -jar access-event-bridge.jar}. */
public final class BridgeMain {

    private BridgeMain() {
    }

    public static void main(String... args) throws Exception {
        BridgeApplication.create(System.getProperties()).run(args);
    }
}
