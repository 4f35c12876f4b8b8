package io.accessbridge.status;

import java.time.Instant;
import java.util.Map;

/**
 * An honest snapshot of one device: what the bridge last saw, and since when.
 *
 * @param deviceId      inventory id
 * @param generation    {@code v1} or {@code v3}
 * @param channels      state per channel ({@code websocket}, {@code subscription}, {@code poll}, {@code push}, {@code report})
 * @param lastEventAt   when the last event of this device was stored, or {@code null}
 * @param eventsStored  events of this device stored since start
 * @param counters      named counters, e.g. {@code gaps}, {@code lostEvents}, {@code resets}, {@code quarantined}
 * @param gauges        named values, e.g. {@code v3.lag} (device max seqnum minus checkpoint), {@code v3.checkpoint}
 */
public record DeviceStatus(String deviceId, String generation, Map<String, ChannelStatus> channels,
                           Instant lastEventAt, long eventsStored, Map<String, Long> counters,
                           Map<String, Long> gauges) {

    /**
     * The state of one channel.
     *
     * @param state  current state
     * @param since  when it entered that state
     * @param reason why, for anything but {@link DeviceState#CONNECTED} (no personal data, no secrets)
     */
    public record ChannelStatus(DeviceState state, Instant since, String reason) {
    }
}
