package io.accessbridge.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SettingsAndKindsTest {

    @Test
    void durationsReadHumanUnitsIsoAndMilliseconds() {
        assertThat(Durations.parse("k", "250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("k", "30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("k", "6h")).isEqualTo(Duration.ofHours(6));
        assertThat(Durations.parse("k", "2d")).isEqualTo(Duration.ofDays(2));
        assertThat(Durations.parse("k", "PT5M")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("k", "1500")).isEqualTo(Duration.ofMillis(1500));
        assertThatThrownBy(() -> Durations.parse("bridge.x", "soon")).hasMessageContaining("bridge.x");
        assertThat(Durations.format(Duration.ofSeconds(3723))).isEqualTo("1h2m3s");
    }

    @Test
    void aTargetsRetrySettingFallsBackToTheSharedOne() {
        Properties file = new Properties();
        file.setProperty("bridge.targets.retry.give-up-after", "1h");
        file.setProperty("bridge.target.odoo.retry.give-up-after", "2d");
        Settings s = Settings.of(file, Map.of("BRIDGE_TARGET_ODOO_ENABLED", "true"));
        assertThat(TargetSettings.from(s, "odoo").retry().giveUpAfter()).isEqualTo(Duration.ofDays(2));
        assertThat(TargetSettings.from(s, "odoo").enabled()).as("environment overrides the file").isTrue();
        assertThat(TargetSettings.from(s, "csv").retry().giveUpAfter()).isEqualTo(Duration.ofHours(1));
        TargetSettings csv = TargetSettings.from(s, "csv");
        assertThat(csv.queue()).isEqualTo("access.events.csv");
        assertThat(csv.deadLetterQueue()).isEqualTo("DLQ.access.events.csv");
        assertThat(csv.fullyQualifiedQueue()).isEqualTo("access.events::access.events.csv");
    }

    @Test
    void eventKindPatternsIncludeAndExclude() {
        EventKinds k = new EventKinds();
        assertThat(k.matches("alarm.raised", "*")).isTrue();
        assertThat(k.matches("alarm.raised", "*,!alarm.*")).isFalse();
        assertThat(k.matches("access.denied", "*,!alarm.*")).isTrue();
        assertThat(k.matches("access.granted", "access.granted")).isTrue();
        assertThat(k.matches("access.granted", "access.denied")).isFalse();
        assertThat(k.matches("door.state", "access.*, door.*")).isTrue();
        assertThat(k.matches(null, "*")).isFalse();
    }

    @Test
    void deadLetterFiltersBecomeSelectorsWithQuotedValues() {
        Instant now = Instant.parse("2024-06-01T12:00:00Z");
        assertThat(DeadLetterFilter.ALL.selector(now)).isNull();
        assertThat(new DeadLetterFilter("access.granted", "o'brien-door", Duration.ofHours(1), null, 0).selector(now))
                .isEqualTo("eventKind = 'access.granted' AND deviceId = 'o''brien-door' AND deadLetterTime <= "
                        + now.minusSeconds(3600).toEpochMilli());
        assertThat(new DeadLetterFilter(null, null, null, Duration.ofMinutes(5), 0).selector(now))
                .isEqualTo("deadLetterTime >= " + now.minusSeconds(300).toEpochMilli());
        assertThat(new Settings(key -> Optional.of(" ")).optional("x")).as("blank is unset").isEmpty();
    }
}
