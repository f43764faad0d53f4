package dev.ssekit.servlet;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import java.time.Clock;
import java.time.Duration;

/** Signs test tokens with java-jwt, relative to a clock. */
final class Tokens {

    static final String SECRET = "servlet-test-secret-of-at-least-32-bytes";
    static final Algorithm HS256 = Algorithm.HMAC256(SECRET);

    private final Clock clock;

    Tokens(Clock clock) {
        this.clock = clock;
    }

    /** A token valid for ten minutes for the user with the roles. */
    String user(String userId, String... roles) {
        return claims(userId, Duration.ofMinutes(10), roles).sign(HS256);
    }

    /** The claims of a token for the user expiring after the given time. */
    JWTCreator.Builder claims(String userId, Duration validFor, String... roles) {
        return JWT.create()
                .withSubject(userId)
                .withArrayClaim("roles", roles)
                .withIssuedAt(clock.instant().minusSeconds(1))
                .withExpiresAt(clock.instant().plus(validFor));
    }
}
