package io.accessbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class JmsBaselineTest {

    @Test
    void percentilesAreNearestRankNotOnePastIt() {
        long[] hundred = LongStream.rangeClosed(1, 100).toArray();
        assertThat(JmsBaseline.rank(hundred, 0.99)).isEqualTo(99);
        assertThat(JmsBaseline.rank(hundred, 0.50)).isEqualTo(50);
        assertThat(JmsBaseline.rank(new long[] {7}, 0.99)).isEqualTo(7);
        long[] thousand = LongStream.rangeClosed(1, 1000).toArray();
        assertThat(JmsBaseline.rank(thousand, 0.99)).isEqualTo(990);
    }

    @Test
    void aBaselineWithoutMessagesIsRefusedBeforeConnecting() {
        assertThatThrownBy(() -> JmsBaseline.run("tcp://127.0.0.1:1", 10, 0, 1500))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs producers and messages");
    }
}
