package io.accessbridge.simulator.v1;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fleet of simulated v1 devices on one shared {@link V1SimRuntime} (one Vert.x, one HTTP
 * client, one scheduler). Each device gets serial number {@code prefix + index} (6 digits) and a
 * generator seed derived from the fleet seed, so a seeded fleet is reproducible device by device.
 * Generation runs at a rate per device, or as a burst of a fixed count, or both (a count at a rate).
 */
public final class V1Fleet implements AutoCloseable {

    /** Placeholder in a push URL template, replaced by each device's serial number. */
    public static final String SN_PLACEHOLDER = "{sn}";

    /**
     * Fleet options.
     *
     * @param devices            number of devices
     * @param serialPrefix       serial number prefix
     * @param seed               fleet seed; {@code null} for random
     * @param recordsPerSecond   records per second per device; 0 emits {@code recordsPerDevice} at once
     * @param recordsPerDevice   records per device before generation stops; 0 for no limit (needs a rate)
     * @param device             options of every device (its generator seed is replaced per device)
     * @param runtime            options of the shared runtime
     */
    public record Options(int devices, String serialPrefix, Long seed, double recordsPerSecond, long recordsPerDevice,
                          V1DeviceSimulator.Options device, V1SimRuntime.Options runtime) {

        /** Validates the options. */
        public Options {
            Objects.requireNonNull(serialPrefix, "serialPrefix");
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(runtime, "runtime");
            if (devices < 1 || recordsPerSecond < 0 || recordsPerDevice < 0
                    || (recordsPerSecond == 0 && recordsPerDevice == 0)) {
                throw new IllegalArgumentException("need devices >= 1 and a rate or a count");
            }
        }

        /** {@code n} devices {@code SIM000001..}, 1 record/s each, no limit, default device options. */
        public static Options of(int n) {
            return new Options(n, "SIM", null, 1.0, 0, V1DeviceSimulator.Options.defaults(),
                    V1SimRuntime.Options.defaults());
        }

        /** With the given seed. */
        public Options withSeed(Long s) {
            return new Options(devices, serialPrefix, s, recordsPerSecond, recordsPerDevice, device, runtime);
        }

        /** With the given serial number prefix. */
        public Options withSerialPrefix(String p) {
            return new Options(devices, p, seed, recordsPerSecond, recordsPerDevice, device, runtime);
        }

        /** With the given rate and count per device. */
        public Options withLoad(double perSecond, long perDevice) {
            return new Options(devices, serialPrefix, seed, perSecond, perDevice, device, runtime);
        }

        /** With the given device options. */
        public Options withDevice(V1DeviceSimulator.Options d) {
            return new Options(devices, serialPrefix, seed, recordsPerSecond, recordsPerDevice, d, runtime);
        }

        /** With the given runtime options. */
        public Options withRuntime(V1SimRuntime.Options r) {
            return new Options(devices, serialPrefix, seed, recordsPerSecond, recordsPerDevice, device, r);
        }
    }

    /**
     * Aggregate counters of a fleet.
     *
     * @param devices          number of devices
     * @param generated        records created
     * @param acknowledged     records acknowledged for the first time
     * @param duplicatesSent   deliberate duplicates sent
     * @param retries          failed push attempts
     * @param droppedFromCache records dropped from full offline caches
     * @param cached           records waiting in offline caches
     * @param pushAttempts     HTTP push requests started
     * @param wsFramesSent     WebSocket frames written
     * @param ackLatency       percentiles of the send-to-ack latency over all devices
     */
    public record FleetStats(int devices, long generated, long acknowledged, long duplicatesSent, long retries,
                             long droppedFromCache, long cached, long pushAttempts, long wsFramesSent,
                             V1LatencyRecorder.Summary ackLatency) {

        /** A one-line human summary. */
        public String toLine() {
            return String.format(Locale.ROOT,
                    "devices=%d generated=%d acked=%d dup=%d retries=%d dropped=%d cached=%d ws=%d latency[%s]",
                    devices, generated, acknowledged, duplicatesSent, retries, droppedFromCache, cached,
                    wsFramesSent, ackLatency.toMillisString());
        }
    }

    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final Options options;
    private final V1SimRuntime runtime;
    private final List<V1DeviceSimulator> devices = new ArrayList<>();
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
    private final AtomicInteger finished = new AtomicInteger();
    private boolean generating;

    /** Creates the devices (not started). */
    public V1Fleet(Options options) {
        this.options = Objects.requireNonNull(options, "options");
        this.runtime = V1SimRuntime.create(options.runtime());
        long base = options.seed() == null ? System.nanoTime() : options.seed();
        // one independent seed per device: seeds spaced by SplittableRandom's own gamma would give
        // every device the same sequence shifted by one step (and the same uuids)
        java.util.SplittableRandom seeds = new java.util.SplittableRandom(base);
        for (int i = 1; i <= options.devices(); i++) {
            String sn = options.serialPrefix() + String.format(Locale.ROOT, "%06d", i);
            V1RecordGenerator.Options gen = options.device().generator().withSeed(seeds.nextLong());
            devices.add(new V1DeviceSimulator(sn, options.device().withGenerator(gen), runtime));
        }
    }

    /** Starts every device (binding its server when {@code serveApi}). */
    public V1Fleet start() {
        for (V1DeviceSimulator d : devices) {
            d.start();
        }
        return this;
    }

    /**
     * Points every device at a push URL. {@value #SN_PLACEHOLDER} in the template is replaced by the
     * device's serial number, which lets a receiver tell devices apart for alarms (no deviceSN).
     */
    public void subscribeAll(String pushUrlTemplate, boolean enabled) {
        for (V1DeviceSimulator d : devices) {
            d.subscribe(pushUrlTemplate.replace(SN_PLACEHOLDER, d.serialNumber()), enabled);
        }
    }

    /** Starts generating records on every device per the rate / count options. */
    public synchronized void startGenerating() {
        if (generating) {
            return;
        }
        generating = true;
        finished.set(0);
        long limit = options.recordsPerDevice() == 0 ? Long.MAX_VALUE : options.recordsPerDevice();
        double rate = options.recordsPerSecond();
        long tick = rate == 0 ? 0 : Math.max(TICK_NANOS, (long) (1e9 / rate));
        int n = devices.size();
        for (int i = 0; i < n; i++) {
            V1DeviceSimulator d = devices.get(i);
            if (rate == 0) {
                tasks.add(runtime.scheduler().schedule(() -> {
                    for (long k = 0; k < limit; k++) {
                        d.emit();
                    }
                    finished.incrementAndGet();
                }, 0, TimeUnit.NANOSECONDS));
            } else {
                Pacer pacer = new Pacer(d, rate, limit);
                long offset = tick * i / n;
                tasks.add(runtime.scheduler().scheduleAtFixedRate(pacer, offset, tick, TimeUnit.NANOSECONDS));
            }
        }
    }

    /** Stops generating (records already made keep being delivered). */
    public synchronized void stopGenerating() {
        for (ScheduledFuture<?> t : tasks) {
            t.cancel(false);
        }
        tasks.clear();
        generating = false;
    }

    /** Whether every device has produced its fixed count (always false without a count). */
    public boolean generationDone() {
        return options.recordsPerDevice() > 0 && finished.get() >= devices.size();
    }

    /** Whether no device has a record waiting in its offline cache. */
    public boolean drained() {
        for (V1DeviceSimulator d : devices) {
            if (d.cacheSize() > 0) {
                return false;
            }
        }
        return true;
    }

    /** The devices, in serial number order. */
    public List<V1DeviceSimulator> devices() {
        return List.copyOf(devices);
    }

    /** The shared runtime. */
    public V1SimRuntime runtime() {
        return runtime;
    }

    /** Aggregate counters and latency percentiles. */
    public FleetStats stats() {
        long gen = 0;
        long ack = 0;
        long dup = 0;
        long ret = 0;
        long drop = 0;
        long cached = 0;
        long attempts = 0;
        long ws = 0;
        List<V1LatencyRecorder> lat = new ArrayList<>();
        for (V1DeviceSimulator d : devices) {
            V1DeviceSimulator.Stats s = d.stats();
            gen += s.generated();
            ack += s.acknowledged();
            dup += s.duplicatesSent();
            ret += s.retries();
            drop += s.droppedFromCache();
            cached += s.cacheSize();
            attempts += s.pushAttempts();
            ws += s.wsFramesSent();
            lat.add(d.ackLatencies());
        }
        return new FleetStats(devices.size(), gen, ack, dup, ret, drop, cached, attempts, ws,
                V1LatencyRecorder.merged(lat));
    }

    /** Stops generation, every device and the shared runtime. */
    @Override
    public void close() {
        stopGenerating();
        for (V1DeviceSimulator d : devices) {
            d.stop();
        }
        runtime.close();
    }

    /** Emits what is due at the configured rate since the first tick; catches up after pauses. */
    private final class Pacer implements Runnable {
        private final V1DeviceSimulator device;
        private final double rate;
        private final long limit;
        private long startNanos = -1;
        private long emitted;
        private boolean done;

        Pacer(V1DeviceSimulator device, double rate, long limit) {
            this.device = device;
            this.rate = rate;
            this.limit = limit;
        }

        @Override
        public void run() {
            if (done) {
                return;
            }
            long now = System.nanoTime();
            if (startNanos < 0) {
                startNanos = now;
            }
            long due = Math.min(limit, 1 + (long) ((now - startNanos) / 1e9 * rate));
            while (emitted < due) {
                device.emit();
                emitted++;
            }
            if (emitted >= limit) {
                done = true;
                finished.incrementAndGet();
            }
        }
    }
}
