package io.accessbridge.target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Settings and files shared by the delivery integration tests. */
public final class TargetTesting {

    /** The device inventory of the tests: lobby-in (IN, Berlin), lobby-out (OUT, Shanghai), hall (no direction). */
    public static final String DEVICES = """
            devices:
              - id: lobby-in
                generation: v1
                site: hq
                door: Lobby entrance
                direction: IN
                timeZone: Europe/Berlin
              - id: lobby-out
                generation: v1
                site: hq
                door: Lobby exit
                direction: OUT
                timeZone: Asia/Shanghai
              - id: hall
                generation: v1
                site: hq
                door: Hall
            """;

    private TargetTesting() {
    }

    /** {@code <employee code>|<timestamp>|<log type>} of a call the fake ERPNext counted as delivered. */
    public static String key(io.accessbridge.target.fakes.FakeErpNext.Accepted call) {
        return call.employeeFieldValue() + "|" + call.timestamp() + "|" + call.logType();
    }

    /** Writes the test inventory under {@code dir} and returns settings using it, with quick retries. */
    public static Map<String, String> settings(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path devices = Files.writeString(dir.resolve("devices.yaml"), DEVICES);
        Map<String, String> s = new LinkedHashMap<>();
        s.put("bridge.devices.file", devices.toString());
        s.put("bridge.targets.retry.initial-delay", "100ms");
        s.put("bridge.targets.retry.max-delay", "400ms");
        s.put("bridge.targets.retry.give-up-after", "2m");
        s.put("camel.resilience4j.wait-duration-in-open-state", "1");
        return s;
    }
}
