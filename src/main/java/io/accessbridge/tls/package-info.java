/**
 * How the bridge trusts a device's https/wss certificate, for every device generation: the
 * inventory's {@code tls} block ({@link io.accessbridge.inventory.DeviceConfig.Tls}) becomes one
 * {@link io.accessbridge.tls.DeviceTls}, used by the v1 WebSocket and subscription clients (Vert.x) and by
 * the v3 poller's JDK HTTP client alike. Never trust-all.
 */
package io.accessbridge.tls;
