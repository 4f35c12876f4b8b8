package io.accessbridge.v1;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class V1RemoteVerifierTest {

    @Test
    void tipsAreCutToTenCharactersNeverInsideASurrogatePair() {
        String cut = V1RemoteVerifier.tips("Hallo 😀😀😀😀😀");
        assertThat(cut.codePointCount(0, cut.length())).isEqualTo(10);
        assertThat(cut).isEqualTo("Hallo 😀😀😀😀");
        assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - 1))).isFalse();
    }

    @Test
    void tipsLoseControlCharactersAndKeepShortText() {
        assertThat(V1RemoteVerifier.tips("Hi\n\tthere")).isEqualTo("Hithere");
        assertThat(V1RemoteVerifier.tips("欢迎光临")).isEqualTo("欢迎光临");
        assertThat(V1RemoteVerifier.tips("")).isEmpty();
    }
}
