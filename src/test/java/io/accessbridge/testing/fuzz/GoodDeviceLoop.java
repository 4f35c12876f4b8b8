package io.accessbridge.testing.fuzz;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A well-behaved device working beside a fuzz run on its own thread, one {@link #step} at a time with a
 * pause between: what it saw go wrong is in {@link #failures}. A step that throws (or fails an assertion)
 * is recorded and ends the loop.
 */
public abstract class GoodDeviceLoop {

    /** What went wrong, as text; empty while the bridge serves the device. */
    public final List<String> failures = Collections.synchronizedList(new ArrayList<>());

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private final long pauseMillis;

    /**
     * @param name        the thread's name
     * @param pauseMillis pause after each step
     */
    protected GoodDeviceLoop(String name, long pauseMillis) {
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.pauseMillis = pauseMillis;
    }

    /** What the device does once: send a record, log an event. */
    protected abstract void step() throws Exception;

    /** Starts the loop. */
    public void start() {
        thread.start();
    }

    /** Ends the loop and waits for the step under way. */
    public void stop() throws InterruptedException {
        running.set(false);
        thread.join(30_000);
    }

    private void run() {
        while (running.get()) {
            try {
                step();
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                return;
            } catch (Exception | AssertionError e) {
                failures.add(e.toString());
                return;
            }
        }
    }
}
