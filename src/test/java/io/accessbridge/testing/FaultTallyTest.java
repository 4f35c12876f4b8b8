package io.accessbridge.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class FaultTallyTest {

    @Test
    void everyAcknowledgedIdOnceIsNoneLostNoneDuplicatedAndPrintsOneLine() {
        Printed<FaultTally> p = printed(() -> FaultTally.inBroker("clean", 4, List.of("a", "b", "c"),
                List.of("c", "a", "b")));

        assertThat(p.out()).isEqualTo("FAULT clean: sent=4 acknowledged=3 in-broker=3 distinct=3 lost=0 duplicated=0"
                + System.lineSeparator());
        assertThat(p.value().lost()).isEmpty();
        assertThat(p.value().duplicated()).isZero();
        assertThatCode(p.value()::assertNoneLostNoneDuplicated).doesNotThrowAnyException();
    }

    @Test
    void anAcknowledgedIdMissingFromTheBrokerIsLost() {
        FaultTally t = printed(() -> FaultTally.inBroker("lost-one", 3, List.of("a", "b", "c"),
                List.of("a", "c"))).value();

        assertThat(t.lost()).containsExactly("b");
        assertThat(t.duplicated()).isZero();
        assertThat(t.line()).endsWith("in-broker=2 distinct=2 lost=1 duplicated=0");
        assertThatThrownBy(t::assertNoneLostNoneDuplicated).isInstanceOf(AssertionError.class)
                .hasMessageContaining("lost=1").hasMessageContaining("[b]");
        assertThatThrownBy(t::assertNoneLost).isInstanceOf(AssertionError.class).hasMessageContaining("[b]");
    }

    @Test
    void extraCopiesOfAnIdAreCountedAsDuplicated() {
        FaultTally t = printed(() -> FaultTally.inBroker("twice", 3, List.of("a", "b", "c"),
                List.of("a", "b", "b", "c", "c", "c"))).value();

        assertThat(t.lost()).isEmpty();
        assertThat(t.duplicated()).as("b once more, c twice more").isEqualTo(3);
        assertThat(t.duplicates()).isEqualTo(Map.of("b", 2, "c", 3));
        assertThat(t.line()).isEqualTo("FAULT twice: sent=3 acknowledged=3 in-broker=6 distinct=3 lost=0 duplicated=3");
        assertThatThrownBy(t::assertNoneLostNoneDuplicated).isInstanceOf(AssertionError.class)
                .hasMessageContaining("duplicated=3").hasMessageContaining("b=2").hasMessageContaining("c=3");
        assertThatCode(t::assertNoneLost).as("at-least-once allows copies").doesNotThrowAnyException();
    }

    @Test
    void lostAndDuplicatedAtOnceAndIdsNobodyAcknowledged() {
        FaultTally t = printed(() -> FaultTally.delivered("both@target", 5, Set.of("a", "b"),
                List.of("a", "a", "x"))).value();

        assertThat(t.line()).isEqualTo("FAULT both@target: sent=5 acknowledged=2 delivered=3 distinct=2 lost=1 duplicated=1");
        assertThat(t.lost()).containsExactly("b");
        assertThat(t.unexpected()).containsExactly("x");
        assertThatThrownBy(t::assertNoneLostNoneDuplicated).hasMessageContaining("lost=1").hasMessageContaining("a=2");
    }

    private record Printed<T>(T value, String out) {
    }

    private static <T> Printed<T> printed(Supplier<T> action) {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            T value = action.get();
            return new Printed<>(value, buffer.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }
}
