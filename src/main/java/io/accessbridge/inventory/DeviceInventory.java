package io.accessbridge.inventory;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The validated device inventory; also the {@link DeviceDirectory} receivers consult. */
public final class DeviceInventory implements DeviceDirectory {

    private final Map<String, DeviceConfig> byId = new LinkedHashMap<>();
    private final Map<String, DeviceConfig> bySerial = new LinkedHashMap<>();
    private final Map<String, DeviceConfig> byHost = new LinkedHashMap<>();
    private final Set<String> sharedHosts = new HashSet<>();

    /** An inventory of these devices (ids already checked unique). */
    public DeviceInventory(List<DeviceConfig> devices) {
        for (DeviceConfig d : devices) {
            byId.put(d.id(), d);
            if (d.serialNumber() != null) {
                bySerial.put(d.serialNumber(), d);
            }
            d.host().ifPresent(h -> {
                if (byHost.putIfAbsent(h, d) != null) {
                    sharedHosts.add(h);
                }
            });
        }
        sharedHosts.forEach(byHost::remove);
    }

    /** Every device, in file order. */
    public List<DeviceConfig> devices() {
        return List.copyOf(byId.values());
    }

    /** Devices of one generation. */
    public List<DeviceConfig> devices(DeviceConfig.Generation generation) {
        return byId.values().stream().filter(d -> d.generation() == generation).toList();
    }

    /** The configuration of one device. */
    public Optional<DeviceConfig> device(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public Optional<DeviceProfile> byId(String id) {
        return device(id).map(DeviceInventory::profile);
    }

    /** Hosts of more than one device (behind one NAT address, or one device listed twice on other ports). */
    public Set<String> sharedHosts() {
        return Set.copyOf(sharedHosts);
    }

    @Override
    public boolean sharedAddress(String ipAddress) {
        return sharedHosts.contains(ipAddress);
    }

    /** The device at this address; none when the address is shared by several devices (no guessing). */
    @Override
    public Optional<DeviceProfile> byAddress(String ipAddress) {
        return Optional.ofNullable(byHost.get(ipAddress)).map(DeviceInventory::profile);
    }

    @Override
    public Optional<DeviceProfile> bySerial(String serialNumber) {
        return Optional.ofNullable(bySerial.get(serialNumber)).map(DeviceInventory::profile);
    }

    private static DeviceProfile profile(DeviceConfig d) {
        return new DeviceProfile(d.id(), d.site(), d.door(), d.direction(), d.channels());
    }
}
