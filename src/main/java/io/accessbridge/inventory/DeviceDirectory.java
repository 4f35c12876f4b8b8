package io.accessbridge.inventory;

import java.util.Optional;

/**
 * Looks up what the inventory says about a device, for receivers that must tell which device
 * sent an event and where it stands. An empty directory knows no device.
 */
public interface DeviceDirectory {

    /**
     * What the inventory says about one device.
     *
     * @param channels which channels are on for it
     */
    record DeviceProfile(String id, String site, String door, String direction, DeviceConfig.Channels channels) {
    }

    /** The device with this inventory id. */
    Optional<DeviceProfile> byId(String id);

    /**
     * The device at this IP address; none when several inventory devices share the address, since an
     * event must not be put on a device that did not send it.
     */
    Optional<DeviceProfile> byAddress(String ipAddress);

    /** Whether several inventory devices have this IP address (then {@link #byAddress} names none). */
    default boolean sharedAddress(String ipAddress) {
        return false;
    }

    /** The device with this serial number ({@code deviceSN}). */
    Optional<DeviceProfile> bySerial(String serialNumber);

    /** A directory that knows no device. */
    DeviceDirectory EMPTY = new DeviceDirectory() {
        @Override
        public Optional<DeviceProfile> byId(String id) {
            return Optional.empty();
        }

        @Override
        public Optional<DeviceProfile> byAddress(String ipAddress) {
            return Optional.empty();
        }

        @Override
        public Optional<DeviceProfile> bySerial(String serialNumber) {
            return Optional.empty();
        }
    };
}
