package io.accessbridge.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class OpsAccessTest {

    private final OpsAccess access = new OpsAccess(" s3cret-token ");

    @Test
    void acceptsTheTokenAsBearerOrAsTheBasicPasswordOfAnyUser() {
        assertThat(access.presents("Bearer s3cret-token")).isTrue();
        assertThat(access.presents("bearer   s3cret-token ")).isTrue();
        assertThat(access.presents(basic("ops:s3cret-token"))).isTrue();
        assertThat(access.presents(basic(":s3cret-token"))).isTrue();
        assertThat(access.presents(basic("someone:with:s3cret-token"))).as("the password is after the first colon")
                .isFalse();
    }

    @Test
    void refusesMissingWrongPartialAndMalformedCredentials() {
        assertThat(access.presents(null)).isFalse();
        assertThat(access.presents("")).isFalse();
        assertThat(access.presents("s3cret-token")).isFalse();
        assertThat(access.presents("Bearer s3cret")).isFalse();
        assertThat(access.presents("Bearer s3cret-token-and-more")).isFalse();
        assertThat(access.presents("Token s3cret-token")).isFalse();
        assertThat(access.presents(basic("s3cret-token:"))).isFalse();
        assertThat(access.presents(basic("s3cret-token"))).isFalse();
        assertThat(access.presents("Basic ***not-base64***")).isFalse();
    }

    @Test
    void checkRemovesTheAuthorizationHeaderAndRefusesWithout() {
        Exchange ok = exchange("Bearer s3cret-token");
        access.check(ok);
        assertThat(ok.getMessage().getHeader("Authorization")).isNull();

        Exchange wrong = exchange("Bearer guess");
        assertThatThrownBy(() -> access.check(wrong)).isInstanceOf(OpsAccess.OpsAccessDeniedException.class)
                .hasMessageNotContaining("guess").hasMessageNotContaining("s3cret");
        assertThat(wrong.getMessage().getHeader("Authorization")).isNull();
    }

    @Test
    void withoutATokenEveryRequestPasses() {
        OpsAccess open = new OpsAccess("  ");
        assertThat(open.protectedByToken()).isFalse();
        open.check(exchange(null));
        open.check(exchange("Bearer anything"));
        assertThat(access.protectedByToken()).isTrue();
    }

    @Test
    void theRefusalIs401WithABasicChallengeAndNoCredentials() {
        Exchange e = exchange("Bearer guess");
        access.denied(e);
        assertThat(e.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(401);
        assertThat(e.getMessage().getHeader("WWW-Authenticate", String.class))
                .isEqualTo("Basic realm=\"access-event-bridge\", charset=\"UTF-8\"");
        assertThat(e.getMessage().getBody(String.class)).contains("unauthorized").doesNotContain("guess")
                .doesNotContain("s3cret");
        assertThat(e.getMessage().getHeader("Authorization")).isNull();
    }

    private static Exchange exchange(String authorization) {
        Exchange e = new DefaultExchange(new DefaultCamelContext());
        if (authorization != null) {
            e.getMessage().setHeader("Authorization", authorization);
        }
        return e;
    }

    private static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }
}
