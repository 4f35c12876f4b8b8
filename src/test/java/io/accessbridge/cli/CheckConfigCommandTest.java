package io.accessbridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.accessbridge.ops.ConfigCheck;
import io.accessbridge.ops.ConfigError;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * {@code check-config} on the broken configurations under {@code src/test/resources/check-config/<case>/}: each
 * prints exactly the errors of its {@code expected.txt} (file, line, setting or field, reason) and exits with 1;
 * the valid one exits with 0.
 */
class CheckConfigCommandTest {

    private static final Path CASES = Path.of("src/test/resources/check-config");

    @ParameterizedTest
    @ValueSource(strings = {"unknown-key", "wrong-values", "unlisted-target", "target-missing-setting",
        "bad-inventory", "bad-tls", "bad-route", "everything"})
    void brokenConfigurationPrintsEveryErrorAndExitsWithOne(String name) throws Exception {
        Run run = checkConfig(CASES.resolve(name).resolve("application.properties"));
        assertThat(run.output()).isEqualTo(expected(name));
        assertThat(run.exitCode()).isEqualTo(1);
    }

    @Test
    void validConfigurationExitsWithZero() throws Exception {
        Run run = checkConfig(CASES.resolve("valid/application.properties"));
        assertThat(run.output()).isEqualTo(expected("valid"));
        assertThat(run.exitCode()).isZero();
    }

    @Test
    void shippedConfigurationIsValid() throws Exception {
        Run run = checkConfig(Path.of("config/application.properties"));
        assertThat(run.output()).startsWith("Configuration OK: settings config/application.properties");
        assertThat(run.exitCode()).isZero();
    }

    @Test
    void missingSettingsFileIsAnError() throws Exception {
        Run run = checkConfig(CASES.resolve("nowhere.properties"));
        assertThat(run.output()).isEqualTo("src/test/resources/check-config/nowhere.properties: file not found\n"
                + "1 error(s)\n");
        assertThat(run.exitCode()).isEqualTo(1);
    }

    @Test
    void environmentOverridesAreCheckedToo() throws Exception {
        ConfigCheck.Result result = new ConfigCheck(Map.of("BRIDGE_HTTP_PORT", "http", "BRIDGE_PRIVACY_FORWARD_NAMES",
                "no", "BRIDGE_BROKER_PORT", "61617")).check(CASES.resolve("valid/application.properties"));
        assertThat(result.errors()).extracting(ConfigError::toString).containsExactlyInAnyOrder(
                "environment BRIDGE_HTTP_PORT: bridge.http.port: must be a whole number (got 'http')",
                "environment BRIDGE_PRIVACY_FORWARD_NAMES: bridge.privacy.forward-names: must be true or false (got 'no')");
    }

    private record Run(String output, int exitCode) {
    }

    private static Run checkConfig(Path config) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new BridgeCli());
        cli.setOut(new PrintWriter(out, true));
        int code = cli.execute("check-config", "--config", config.toString());
        return new Run(out.toString().replace(System.lineSeparator(), "\n"), code);
    }

    private static String expected(String name) throws Exception {
        return Files.readString(CASES.resolve(name).resolve("expected.txt"), StandardCharsets.UTF_8);
    }
}
