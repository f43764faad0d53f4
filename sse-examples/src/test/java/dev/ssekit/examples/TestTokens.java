package dev.ssekit.examples;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Signs real HS256 JWTs for tests, independently of the app's demo token code. */
final class TestTokens {

    static final String SECRET = "test-secret-for-the-clinic-example-0123456789";

    private TestTokens() {
    }

    static String token(String user, String... roles) {
        return token(SECRET, user, Instant.now().plus(Duration.ofHours(1)), roles);
    }

    static String token(String secret, String user, Instant expiresAt, String... roles) {
        return JWT.create()
                .withSubject(user)
                .withClaim("roles", List.of(roles))
                .withIssuedAt(Instant.now().minusSeconds(60))
                .withExpiresAt(expiresAt)
                .sign(Algorithm.HMAC256(secret));
    }

    static String alice() {
        return token("alice", "patient");
    }

    static String bob() {
        return token("bob", "patient");
    }

    static String grey() {
        return token("dr.grey", "staff");
    }

    static String admin() {
        return token("admin", "admin", "staff");
    }
}
