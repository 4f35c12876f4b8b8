package io.accessbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.accessbridge.broker.BrokerTopology;
import io.accessbridge.testing.TestBroker;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker bookkeeping of {@code bench v1-push} against a real broker whose memory limit is 1 MiB: a backlog
 * beyond it pages, and removing the backlog ends the paging, as the benchmark relies on before it measures.
 */
@Timeout(120)
class BrokerQueuesIT {

    private static final String ADDRESS = "access.events";
    private static final String QUEUE = "access.events.all";

    @TempDir
    Path data;

    private TestBroker broker;

    @BeforeEach
    void startBroker() {
        broker = TestBroker.start(data.resolve("broker"), 1024 * 1024);
        new BrokerTopology(broker.settings()).start();
    }

    @AfterEach
    void stopBroker() {
        broker.stop();
    }

    @Test
    void removingABacklogThatPagesEmptiesTheQueueAndEndsThePaging() throws Exception {
        send(2_000);
        try (BrokerQueues queues = BrokerQueues.open(broker.url(), null, null)) {
            assertThat(queues.messageCount(QUEUE)).isEqualTo(2_000);
            assertThat(queues.awaitNotPaging(ADDRESS, Duration.ZERO)).as("3 MB in a 1 MiB broker pages").isFalse();

            assertThat(queues.removeAll(QUEUE, Duration.ofMinutes(1))).isEqualTo(2_000);

            assertThat(queues.awaitNotPaging(ADDRESS, Duration.ofSeconds(30))).isTrue();
            assertThat(queues.messageCount(QUEUE)).isZero();
            assertThat(queues.messagesAdded(QUEUE)).hasValue(2_000);
        }
    }

    @Test
    void removingFromAQueueTheBrokerDoesNotHaveIsRefusedWithItsName() throws Exception {
        try (BrokerQueues queues = BrokerQueues.open(broker.url(), null, null)) {
            assertThatThrownBy(() -> queues.removeAll("no.such.queue", Duration.ofSeconds(10)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("refused")
                    .hasMessageContaining("no.such.queue");
        }
    }

    @Test
    void theBaselineQueueIsCreatedOnceAndTakesWhatJmsSendsToTheQueueOfThatName() throws Exception {
        try (BrokerQueues queues = BrokerQueues.open(broker.url(), null, null)) {
            queues.ensureAnycastQueue("bench.baseline");
            queues.ensureAnycastQueue("bench.baseline");
            try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.url());
                 Connection connection = factory.createConnection()) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                session.createProducer(session.createQueue("bench.baseline")).send(session.createTextMessage("x"));
            }
            assertThat(queues.figures("bench.baseline").exists()).isTrue();
            assertThat(queues.messageCount("bench.baseline")).isEqualTo(1);
        }
    }

    private void send(int count) throws Exception {
        byte[] body = new byte[1500];
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.url());
             Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createTopic(ADDRESS));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 0; i < count; i++) {
                var m = session.createBytesMessage();
                m.writeBytes(body);
                producer.send(m);
            }
        }
    }
}
