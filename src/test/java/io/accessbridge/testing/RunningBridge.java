package io.accessbridge.testing;

import io.accessbridge.BridgeApplication;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * The real bridge (camel-main, YAML routes from {@code routes/}, settings from
 * {@code config/application.properties}) started inside the test JVM on free ports, with its
 * broker journal and images under a test directory.
 */
public final class RunningBridge implements AutoCloseable {

    private final Main main;
    private final int httpPort;
    private final int brokerPort;
    private final Map<String, String> settings;

    private RunningBridge(Main main, int httpPort, int brokerPort, Map<String, String> settings) {
        this.main = main;
        this.httpPort = httpPort;
        this.brokerPort = brokerPort;
        this.settings = settings;
    }

    /** Starts a bridge with an embedded broker under {@code dataDir}. */
    public static RunningBridge start(Path dataDir) {
        return start(dataDir, Map.of());
    }

    /** Starts a bridge; {@code overrides} win over the test defaults. */
    public static RunningBridge start(Path dataDir, Map<String, String> overrides) {
        Map<String, String> s = defaults(dataDir);
        s.putAll(overrides);
        Properties p = new Properties();
        p.putAll(s);
        Main main = BridgeApplication.create(p);
        try {
            main.start();
        } catch (Exception e) {
            throw new IllegalStateException("bridge did not start", e);
        }
        return new RunningBridge(main, Integer.parseInt(s.get("bridge.http.port")),
                Integer.parseInt(s.get("bridge.broker.port")), s);
    }

    /** The settings a test bridge starts with: free ports, data under {@code dataDir}. */
    public static Map<String, String> defaults(Path dataDir) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("bridge.http.port", String.valueOf(FreePorts.next()));
        s.put("bridge.http.host", "127.0.0.1");
        s.put("bridge.broker.port", String.valueOf(FreePorts.next()));
        s.put("bridge.broker.data-dir", dataDir.resolve("broker").toString());
        s.put("bridge.images.dir", dataDir.resolve("images").toString());
        s.put("bridge.checkpoint.dir", dataDir.resolve("checkpoints").toString());
        return s;
    }

    /** The base URL of the bridge's HTTP server. */
    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** The v1 push URL. */
    public String pushUrl() {
        return baseUrl() + "/v1/events";
    }

    /** The broker URL of the embedded broker (or the configured external one). */
    public String brokerUrl() {
        return settings.getOrDefault("bridge.broker.url", "tcp://127.0.0.1:" + brokerPort);
    }

    /** The running Camel context. */
    public CamelContext context() {
        return main.getCamelContext();
    }

    @Override
    public void close() {
        main.stop();
    }
}
