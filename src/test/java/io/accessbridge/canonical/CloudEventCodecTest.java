package io.accessbridge.canonical;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.accessbridge.ingest.SourceContext;
import io.accessbridge.privacy.PrivacyPolicy;
import io.accessbridge.testing.Fixtures;
import io.accessbridge.v1.V1EventNormalizer;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The bridge's one-pass CloudEvent writer against the CloudEvents SDK's own JSON format. */
class CloudEventCodecTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final V1EventNormalizer normalizer = new V1EventNormalizer(PrivacyPolicy.DEFAULT);

    @ParameterizedTest
    @ValueSource(strings = {"v1/000-recognition.json", "v1/001-recognition.json", "v1/002-alarm.json",
            "v1/002-recognition.json", "v1/003-recognition.json"})
    void writesTheSameJsonAsTheSdkForEverySpecRecord(String fixture) throws Exception {
        CanonicalEvent event = normalizer.normalize(Fixtures.json(fixture),
                SourceContext.of("http-push", "192.0.2.10")).event();
        assertSameAsSdk(event);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-22T10:15:30Z", "2026-11-22T10:15:30.123Z", "1999-12-31T23:59:59.999999999Z"})
    void writesTimeAndAMissingSubjectAsTheSdkDoes(String time) throws Exception {
        CanonicalEvent base = normalizer.normalize(Fixtures.json("v1/000-recognition.json"),
                SourceContext.of("ws", "192.0.2.10")).event();
        CanonicalEvent event = new CanonicalEvent(base.id(), base.kind(), base.source(), null, Instant.parse(time),
                base.data());
        assertSameAsSdk(event);
        assertThat(JSON.readTree(CloudEventCodec.serialize(event)).has("subject")).isFalse();
    }

    private static void assertSameAsSdk(CanonicalEvent event) throws Exception {
        byte[] ours = CloudEventCodec.serialize(event);
        byte[] sdk = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE)
                .serialize(CloudEventCodec.toCloudEvent(event));
        JsonNode oursTree = JSON.readTree(ours);
        assertThat(oursTree).isEqualTo(JSON.readTree(sdk));
        CloudEvent read = CloudEventCodec.deserialize(ours);
        assertThat(read.getId()).isEqualTo(event.id());
        assertThat(read.getTime().toInstant()).isEqualTo(event.time());
        assertThat(CloudEventCodec.data(read)).isEqualTo(event.data());
    }
}
