package io.accessbridge.target;

import io.accessbridge.canonical.AccessEvent;
import io.accessbridge.canonical.CanonicalEvent;
import io.accessbridge.canonical.CloudEventCodec;
import io.accessbridge.canonical.DeviceUris;
import io.accessbridge.canonical.EventHeaders;
import io.accessbridge.canonical.EventKind;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/** Builds canonical events and publishes them to {@code access.events} as the ingest routes do. */
public final class TargetEvents implements AutoCloseable {

    private final Connection connection;
    private final Session session;
    private final MessageProducer producer;

    private TargetEvents(String brokerUrl) throws JMSException {
        connection = new ActiveMQConnectionFactory(brokerUrl).createConnection();
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        producer = session.createProducer(session.createTopic("access.events"));
    }

    /** A publisher to the broker at {@code brokerUrl}. */
    public static TargetEvents publisher(String brokerUrl) throws JMSException {
        return new TargetEvents(brokerUrl);
    }

    /** Publishes one event persistently, with the selector properties and the duplicate id. */
    public void publish(CanonicalEvent event) throws JMSException {
        TextMessage m = session.createTextMessage(new String(CloudEventCodec.serialize(event), StandardCharsets.UTF_8));
        for (Map.Entry<String, Object> h : EventHeaders.of(event).entrySet()) {
            m.setObjectProperty(h.getKey(), h.getValue());
        }
        producer.send(m);
    }

    /** A granted access of an employee. */
    public static CanonicalEvent granted(String id, String deviceId, String jobNumber, Instant at) {
        return access(id, EventKind.ACCESS_GRANTED, deviceId, jobNumber, "employee", at, null);
    }

    /** An access event with the given kind, person type and direction (null: as the inventory says). */
    public static CanonicalEvent access(String id, EventKind kind, String deviceId, String jobNumber, String personType,
                                        Instant at, String direction) {
        AccessEvent data = new AccessEvent(kind.id(), at.toString(),
                new AccessEvent.Device(deviceId, null, "v1", "hq", null),
                new AccessEvent.Door("Door of " + deviceId, null), direction,
                new AccessEvent.Decision(kind == EventKind.ACCESS_GRANTED, kind == EventKind.ACCESS_GRANTED
                        ? "verified" : "no-permission"),
                new AccessEvent.Person("u" + jobNumber, personType, "Person " + jobNumber, jobNumber, "C" + jobNumber,
                        null, null, null, null),
                new AccessEvent.Credential("face", null, null, null), null, null, null, null, null, null,
                "http-push", Map.of());
        return new CanonicalEvent(id, kind, DeviceUris.source(deviceId), "Door of " + deviceId, at, data);
    }

    /** A raised alarm of a device. */
    public static CanonicalEvent alarm(String id, String deviceId, Instant at) {
        AccessEvent data = new AccessEvent(EventKind.ALARM_RAISED.id(), at.toString(),
                new AccessEvent.Device(deviceId, null, "v1", "hq", null), null, null, null, null, null, null, null,
                new AccessEvent.Alarm(1, "tamper", "raised", id, "tamper"), null, null, null, "http-push", Map.of());
        return new CanonicalEvent(id, EventKind.ALARM_RAISED, DeviceUris.source(deviceId), "Door of " + deviceId, at,
                data);
    }

    @Override
    public void close() throws JMSException {
        connection.close();
    }
}
