package dev.ssekit.examples;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * The clinic's settings, read from the environment.
 *
 * <ul>
 *   <li>{@code PORT}: the HTTP port; default 8080; 0 picks a free port (the tests use it).
 *   <li>{@code SSEKIT_JWT_SECRET}: the HS256 secret that signs and verifies tokens, at least
 *       32 characters; when unset a random one is generated, so tokens from an earlier run
 *       stop working after a restart.
 * </ul>
 *
 * @param port the port to listen on, 0 for any free port
 * @param jwtSecret the HS256 secret; never printed or logged
 * @param secretGenerated whether the secret was generated because none was configured
 */
public record ClinicSettings(int port, String jwtSecret, boolean secretGenerated) {

    /** The port used when {@code PORT} is unset. */
    public static final int DEFAULT_PORT = 8080;

    /** The shortest secret accepted: HS256 wants a key of at least 256 bits. */
    public static final int MIN_SECRET_LENGTH = 32;

    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException if the port is out of range or the secret too short
     */
    public ClinicSettings {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("PORT must be between 0 and 65535, got " + port);
        }
        Objects.requireNonNull(jwtSecret, "jwtSecret");
        if (jwtSecret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("SSEKIT_JWT_SECRET must be at least "
                    + MIN_SECRET_LENGTH + " characters long, got " + jwtSecret.length());
        }
    }

    /**
     * Reads the settings from environment variables (pass {@code System.getenv()}).
     *
     * @throws IllegalArgumentException if a variable is set to an unusable value
     */
    public static ClinicSettings fromEnvironment(Map<String, String> env) {
        Objects.requireNonNull(env, "env");

        int port = parsePort(env.get("PORT"));
        String secret = env.get("SSEKIT_JWT_SECRET");
        if (secret == null || secret.isBlank()) {
            return new ClinicSettings(port, randomSecret(), true);
        }
        return new ClinicSettings(port, secret, false);
    }

    private static int parsePort(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_PORT;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("PORT must be a number, got '" + value + "'", e);
        }
    }

    private static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String toString() {
        // The secret must never reach a log line.
        return "ClinicSettings[port=" + port + ", secretGenerated=" + secretGenerated + "]";
    }
}
