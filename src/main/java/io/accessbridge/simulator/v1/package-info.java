/**
 * Simulated v1 access-control terminals (specs 000-003), our own test and demo code.
 *
 * <ul>
 *   <li>{@link io.accessbridge.simulator.v1.V1RecordGenerator}: raw vendor JSON records in every
 *       spec shape, deterministic with a seed.</li>
 *   <li>{@link io.accessbridge.simulator.v1.V1DeviceSimulator}: one device: HTTP push with offline
 *       cache and retries, {@code /v1/event/subscribe}, WebSocket {@code /v1/event} (3 clients),
 *       optional TLS, fault controls.</li>
 *   <li>{@link io.accessbridge.simulator.v1.V1Fleet}: many devices on one
 *       {@link io.accessbridge.simulator.v1.V1SimRuntime}, with aggregate statistics.</li>
 *   <li>{@link io.accessbridge.simulator.v1.V1SimulatorMain}: the {@code simulate} command.</li>
 * </ul>
 *
 * <p>A device with WSS/HTTPS, its certificate from {@link io.accessbridge.simulator.SelfSignedKeyStore}:
 * <pre>{@code
 * SelfSignedKeyStore.Generated ks = SelfSignedKeyStore.generate(dir.resolve("device.p12"), "secret");
 * V1DeviceSimulator device = new V1DeviceSimulator("PS71HD01MC22B00003",
 *         V1DeviceSimulator.Options.defaults().withTls(ks.path(), ks.password())).start();
 * URI ws = device.wsUri();                        // wss://127.0.0.1:<port>/v1/event
 * SSLContext clientTls = ks.clientSslContext();   // trusts the certificate; SAN has localhost, 127.0.0.1
 * device.emit();                                  // one text frame to every connected client
 * }</pre>
 */
package io.accessbridge.simulator.v1;
