package io.switchboard.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/** The token rules on their own, with a clock the test sets. */
class TokensTest {

    private static final byte[] SECRET = TestTokens.SECRET.getBytes(StandardCharsets.UTF_8);

    private final MutableClock clock = new MutableClock(Instant.now());

    private JwtDecoder decoder(String issuer, String audience, Duration skew) {
        return Tokens.hs256(SECRET, new Tokens.Rules(issuer, audience, skew), clock);
    }

    private String expiredFor(Duration ago) {
        return TestTokens.sign(TestTokens.valid("u1", 1)
                .expirationTime(Date.from(clock.instant().minus(ago))));
    }

    @Test
    void theClockSkewIsTheToleranceOnExp() {
        String expired45sAgo = expiredFor(Duration.ofSeconds(45));
        assertThatThrownBy(() -> decoder(null, null, Duration.ofSeconds(30)).decode(expired45sAgo))
                .isInstanceOf(JwtValidationException.class);
        assertThat(decoder(null, null, Duration.ofSeconds(60))
                        .decode(expired45sAgo)
                        .getSubject())
                .isEqualTo("u1");
        assertThatThrownBy(() -> decoder(null, null, Duration.ZERO).decode(expiredFor(Duration.ofSeconds(1))))
                .isInstanceOf(JwtValidationException.class);
    }

    @Test
    void expAndANonBlankSubAreRequired() {
        JwtDecoder decoder = decoder(null, null, Duration.ofSeconds(30));
        assertThatThrownBy(() ->
                        decoder.decode(TestTokens.sign(TestTokens.valid("u1", 1).expirationTime(null))))
                .hasMessageContaining("exp");
        assertThatThrownBy(() -> decoder.decode(TestTokens.sign(TestTokens.valid(null, 1))))
                .hasMessageContaining("sub");
        assertThatThrownBy(() -> decoder.decode(TestTokens.sign(TestTokens.valid("", 1))))
                .hasMessageContaining("sub");
    }

    @Test
    void issuerAndAudienceAreCheckedWhenSet() {
        JwtDecoder decoder = decoder("https://idp.example", "switchboard", Duration.ofSeconds(30));
        String good = TestTokens.sign(
                TestTokens.valid("u1", 1).issuer("https://idp.example").audience("switchboard"));
        assertThat(decoder.decode(good).getSubject()).isEqualTo("u1");
        assertThatThrownBy(() -> decoder.decode(TestTokens.sign(
                        TestTokens.valid("u1", 1).issuer("https://idp.example").audience("other"))))
                .hasMessageContaining("aud");
        assertThatThrownBy(() -> decoder.decode(TestTokens.sign(
                        TestTokens.valid("u1", 1).issuer("https://evil.example").audience("switchboard"))))
                .hasMessageContaining("iss");
        JwtDecoder open = decoder(null, null, Duration.ofSeconds(30));
        assertThat(open.decode(TestTokens.sign(TestTokens.valid("u1", 1).audience("anything")))
                        .getSubject())
                .isEqualTo("u1");
    }
}
