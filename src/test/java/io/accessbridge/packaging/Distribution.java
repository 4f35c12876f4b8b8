package io.accessbridge.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The distribution archive built by {@code mvn package} ({@code target/access-event-bridge-dist.tar.gz}), unpacked
 * into a test directory and run through its own launcher {@code bin/access-event-bridge} as a separate process.
 */
final class Distribution {

    static final Path ARCHIVE = Path.of("target", "access-event-bridge-dist.tar.gz");

    private final Path home;

    private Distribution(Path home) {
        this.home = home;
    }

    /** Unpacks the archive under {@code dir}. */
    static Distribution unpack(Path dir) throws Exception {
        assertThat(ARCHIVE).as("mvn package builds the distribution archive").exists();
        Files.createDirectories(dir);
        Process tar = new ProcessBuilder("tar", "xzf", ARCHIVE.toAbsolutePath().toString(), "-C", dir.toString())
                .inheritIO().start();
        assertThat(tar.waitFor()).isZero();
        return new Distribution(dir.resolve("access-event-bridge"));
    }

    /** The installation directory. */
    Path home() {
        return home;
    }

    /** Runs the launcher with {@code args} and {@code env}, output to {@code log}; returns the process. */
    Process launch(Map<String, String> env, Path log, String... args) throws IOException {
        ProcessBuilder b = new ProcessBuilder();
        b.command().add(home.resolve("bin/access-event-bridge").toString());
        b.command().addAll(List.of(args));
        b.environment().put("JAVA_HOME", System.getProperty("java.home"));
        b.environment().put("JAVA_OPTS", "-Xmx384m");
        b.environment().putAll(env);
        return b.directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** Runs a command to its end and returns its exit code. */
    int run(Map<String, String> env, Path log, String... args) throws Exception {
        Process p = launch(env, log, args);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("command finished").isTrue();
        return p.exitValue();
    }

    /** Waits until the bridge at {@code baseUrl} is ready. */
    static void awaitReady(Process process, String baseUrl, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            assertThat(process.isAlive()).as("bridge process running").isTrue();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/observe/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("bridge not ready within " + timeout);
    }
}
