package io.accessbridge.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.accessbridge.simulator.v1.V1DeviceSimulator;
import io.accessbridge.simulator.v1.V1Fleet;
import io.accessbridge.target.fakes.FakeHttpServer;
import io.accessbridge.testing.EventCollector;
import io.accessbridge.testing.RunningBridge;
import jakarta.jms.Message;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The status page in headless Chromium against a running bridge fed by simulated v1 terminals: what a person
 * sees (device rows and their state, the event count moving, masked recent events, target rows with backlog
 * and dead letters) and the replay button working. Saves target/status-page.png.
 */
class StatusPageIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REF = Pattern.compile("[0-9a-f]{12}");

    @TempDir
    Path dir;

    @Test
    void operatorSeesDevicesEventsTargetsAndCanReplayDeadLetters() throws Exception {
        boolean browserInstalled = java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/chromium"))
                && java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/chromedriver"));
        if (System.getenv("CI") == null) {
            org.junit.jupiter.api.Assumptions.assumeTrue(browserInstalled,
                    "apt-get install chromium chromium-driver to run the browser test (.ci/run does)");
        }
        Files.writeString(dir.resolve("devices.yaml"), """
                devices:
                  - {id: SIM000001, generation: v1, door: Lobby entrance, direction: IN, channels: {push: true}}
                  - {id: SIM000002, generation: v1, door: Lobby exit, direction: OUT, channels: {push: true}}
                  - {id: SIM000003, generation: v1, door: Warehouse gate, channels: {push: true}}
                  - {id: SIM000009, generation: v1, door: Roof door, channels: {push: true}}
                """);
        try (FakeHttpServer refusing = new FakeHttpServer() {
                @Override
                protected Response handle(Request request) {
                    return Response.json(422, "{\"error\":\"unknown employee\"}");
                }
            };
             RunningBridge bridge = RunningBridge.start(dir.resolve("data"), Map.of(
                     "bridge.devices.file", dir.resolve("devices.yaml").toString(),
                     "bridge.target.csv.enabled", "true",
                     "bridge.target.csv.dir", dir.resolve("attendance").toString(),
                     "bridge.attendance.person-types", "employee,visitor,stranger",
                     "bridge.target.http.enabled", "true",
                     "bridge.target.http.url", refusing.url() + "/access",
                     "bridge.target.http.event-kinds", "access.denied"));
             V1Fleet fleet = fleet(bridge.pushUrl());
             EventCollector stored = EventCollector.consume(bridge.brokerUrl(), "access.events.all")) {
            ChromeDriver browser = HeadlessChromium.start(dir.resolve("chromium"));
            try {
                browser.get(bridge.baseUrl() + "/status");

                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    for (String id : List.of("SIM000001", "SIM000002", "SIM000003")) {
                        assertThat(row(browser, "devices", "data-device", id).getText()).contains("ACTIVE");
                    }
                    assertThat(row(browser, "devices", "data-device", "SIM000009").getText()).contains("UNKNOWN");
                });
                long first = number(browser.findElement(By.id("events-received")).getText());
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        number(browser.findElement(By.id("events-received")).getText()) > first + 10);
                assertThat(number(row(browser, "devices", "data-device", "SIM000001")
                        .findElement(By.cssSelector("td.events")).getText())).isPositive();

                List<WebElement> recent = browser.findElements(By.cssSelector("#recent tbody tr"));
                assertThat(recent).isNotEmpty();
                String firstRecent = recent.get(0).getText();
                assertThat(firstRecent).containsPattern("access\\.(granted|denied)|alarm\\.").containsPattern("SIM00000[123]");
                assertThat(recent.get(0).findElement(By.tagName("code")).getText()).matches(REF);
                assertThat(browser.findElement(By.id("recent")).getText())
                        .containsAnyOf("Lobby entrance", "Lobby exit", "Warehouse gate");

                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(row(browser, "targets", "data-target", "csv").getText()).contains("OK");
                    assertThat(number(row(browser, "targets", "data-target", "csv").findElements(By.tagName("td"))
                            .get(3).getText())).isPositive();
                    assertThat(number(row(browser, "targets", "data-target", "http")
                            .findElement(By.cssSelector("td.dead-letters")).getText())).isPositive();
                });
                assertThat(row(browser, "targets", "data-target", "erpnext").getText()).contains("DISABLED");

                Files.write(Path.of("target", "status-page.png"), browser.getScreenshotAs(OutputType.BYTES));

                String personal = personalData(stored);
                String page = browser.findElement(By.tagName("body")).getText();
                for (String value : personal.split("\n")) {
                    if (!value.isBlank()) {
                        assertThat(page).as("personal data or raw event id on the page").doesNotContain(value);
                    }
                }

                row(browser, "targets", "data-target", "http").findElement(By.cssSelector("button[data-replay]")).click();
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                        browser.findElement(By.id("replay-result")).getText())
                        .matches("Replayed [1-9][0-9]* dead letter\\(s\\) of http"));
            } finally {
                browser.quit();
            }
        }
    }

    private static V1Fleet fleet(String pushUrl) {
        V1DeviceSimulator.Options device = V1DeviceSimulator.Options.defaults().withServeApi(false)
                .withRetryBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
                .withDuplicateProbability(0.1);
        V1Fleet fleet = new V1Fleet(V1Fleet.Options.of(3).withSeed(7L).withLoad(4, 100_000).withDevice(device)).start();
        fleet.subscribeAll(pushUrl + "/" + V1Fleet.SN_PLACEHOLDER, true);
        fleet.startGenerating();
        return fleet;
    }

    private static WebElement row(ChromeDriver browser, String table, String attribute, String value) {
        return browser.findElement(By.cssSelector("#" + table + " tbody tr[" + attribute + "='" + value + "']"));
    }

    private static long number(String text) {
        String digits = text.replaceAll("[^0-9]", "");
        return digits.isEmpty() ? 0 : Long.parseLong(digits);
    }

    /** Names, user ids, job and card numbers and raw event ids of stored events, one per line. */
    private static String personalData(EventCollector stored) throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> stored.total() > 20);
        Set<String> values = new HashSet<>();
        for (Message m : stored.messages()) {
            JsonNode e = JSON.readTree(EventCollector.text(m));
            values.add(e.path("id").asText());
            JsonNode person = e.path("data").path("person");
            for (String field : List.of("name", "userId", "jobNumber", "cardNumber")) {
                String v = person.path(field).asText("");
                if (v.length() >= 4) {
                    values.add(v);
                }
            }
        }
        assertThat(values).hasSizeGreaterThan(20);
        return String.join("\n", values);
    }
}
