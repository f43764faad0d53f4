package dev.ssekit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ClinicSettingsTest {

    private static final String SECRET = "a-configured-secret-of-forty-characters!";

    @Test
    void defaultsToPort8080AndAFreshRandomSecret() {
        ClinicSettings first = ClinicSettings.fromEnvironment(Map.of());
        ClinicSettings second = ClinicSettings.fromEnvironment(Map.of());

        assertThat(first.port()).isEqualTo(8080);
        assertThat(first.secretGenerated()).isTrue();
        assertThat(first.jwtSecret()).hasSizeGreaterThanOrEqualTo(32)
                .isNotEqualTo(second.jwtSecret());
    }

    @Test
    void readsPortAndSecretFromTheEnvironment() {
        ClinicSettings settings = ClinicSettings.fromEnvironment(
                Map.of("PORT", " 0 ", "SSEKIT_JWT_SECRET", SECRET));

        assertThat(settings.port()).isZero();
        assertThat(settings.jwtSecret()).isEqualTo(SECRET);
        assertThat(settings.secretGenerated()).isFalse();
    }

    @Test
    void refusesUnusableValuesWithMessagesNamingTheVariable() {
        assertThatThrownBy(() -> ClinicSettings.fromEnvironment(Map.of("PORT", "http")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("PORT must be a number, got 'http'");
        assertThatThrownBy(() -> ClinicSettings.fromEnvironment(Map.of("PORT", "70000")))
                .hasMessage("PORT must be between 0 and 65535, got 70000");
        assertThatThrownBy(() -> ClinicSettings.fromEnvironment(
                Map.of("SSEKIT_JWT_SECRET", "too-short")))
                .hasMessage("SSEKIT_JWT_SECRET must be at least 32 characters long, got 9");
    }

    @Test
    void neverShowsTheSecretInToString() {
        ClinicSettings settings = ClinicSettings.fromEnvironment(
                Map.of("SSEKIT_JWT_SECRET", SECRET));

        assertThat(settings.toString()).doesNotContain(SECRET).contains("port=8080");
    }
}
