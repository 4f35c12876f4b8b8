package io.accessbridge.testing.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** The steps every fuzz IT takes around its inputs: wait for an outcome, check the bridge is ready. */
public final class FuzzRun {

    private FuzzRun() {
    }

    /** Asserts that the bridge at {@code baseUrl} answers {@code /observe/health/ready} with 200 and UP. */
    public static void assertReady(HttpClient http, String baseUrl) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/observe/health/ready"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("readiness: %s", r.body()).isEqualTo(200);
        assertThat(r.body()).contains("UP");
    }

    /** Waits until {@code condition} holds, polling every 5 ms; fails naming {@code what} after {@code within}. */
    public static void await(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + within.toSeconds() + " s: " + what);
            }
            Thread.sleep(5);
        }
    }
}
