package io.accessbridge.testing;

import io.accessbridge.simulator.v3.V3DeviceSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes a {@code devices.yaml} listing simulated v3 devices, their tokens in secret files. */
public final class V3Inventory {

    /**
     * One device of the inventory.
     *
     * @param sim          the simulator
     * @param pageSize     {@code v3.pageSize}
     * @param intervalMs   {@code v3.intervalMs}
     * @param firstContact {@code v3.firstContact}, e.g. {@code all}, {@code new}, {@code since:2024-01-01T00:00:00Z}
     * @param reports      {@code channels.report}
     * @param tls          the {@code tls} block as a YAML flow mapping, e.g. {@code {pinnedSha256: '..'}}; {@code null} for none
     */
    public record Entry(V3DeviceSimulator sim, int pageSize, long intervalMs, String firstContact, boolean reports,
                        String tls) {

        /** With {@code event-report} accepted (the default). */
        public Entry(V3DeviceSimulator sim, int pageSize, long intervalMs, String firstContact) {
            this(sim, pageSize, intervalMs, firstContact, true);
        }

        /** Without a {@code tls} block. */
        public Entry(V3DeviceSimulator sim, int pageSize, long intervalMs, String firstContact, boolean reports) {
            this(sim, pageSize, intervalMs, firstContact, reports, null);
        }

        /** The same entry with a {@code tls} block (YAML flow mapping). */
        public Entry withTls(String flowMapping) {
            return new Entry(sim, pageSize, intervalMs, firstContact, reports, flowMapping);
        }
    }

    private V3Inventory() {
    }

    /** Writes {@code dir/devices.yaml} for devices with the same settings; returns the file. */
    public static Path write(Path dir, List<V3DeviceSimulator> devices, int pageSize, long intervalMs,
                             String firstContact) {
        return write(dir, devices.stream().map(d -> new Entry(d, pageSize, intervalMs, firstContact)).toList());
    }

    /** Writes {@code dir/devices.yaml} and one token file per device; returns the inventory file. */
    public static Path write(Path dir, List<Entry> entries) {
        try {
            Files.createDirectories(dir);
            StringBuilder yaml = new StringBuilder("devices:\n");
            for (Entry e : entries) {
                V3DeviceSimulator sim = e.sim();
                Path token = dir.resolve(sim.deviceId() + ".token");
                Files.writeString(token, sim.token() + "\n", StandardCharsets.UTF_8);
                yaml.append("  - id: ").append(sim.deviceId()).append('\n')
                        .append("    generation: v3\n")
                        .append("    address: ").append(sim.baseUri()).append('\n')
                        .append("    token: {file: '").append(token.toAbsolutePath()).append("'}\n")
                        .append("    site: lab\n")
                        .append("    door: Gate ").append(sim.deviceId()).append('\n')
                        .append("    v3: {apiVersion: ").append(sim.apiVersion()).append(", pageSize: ").append(e.pageSize())
                        .append(", intervalMs: ").append(e.intervalMs()).append(", firstContact: '")
                        .append(e.firstContact()).append("'}\n");
                if (!e.reports()) {
                    yaml.append("    channels: {report: false}\n");
                }
                if (e.tls() != null) {
                    yaml.append("    tls: ").append(e.tls()).append('\n');
                }
            }
            Path file = dir.resolve("devices.yaml");
            Files.writeString(file, yaml.toString(), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
