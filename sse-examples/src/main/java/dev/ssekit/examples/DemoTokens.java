package dev.ssekit.examples;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.ssekit.examples.ClinicData.DemoUser;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * DEMO CONVENIENCE: mints HS256 tokens for the demo users, for the start-up banner and the
 * demo login endpoint. A real deployment gets its tokens from an identity provider and never
 * signs them in the application that streams events.
 *
 * <p>The tokens carry what the ssekit JWT authenticator reads: the user id in {@code sub} and
 * the roles in a {@code roles} array claim. Thread-safe and immutable.
 */
final class DemoTokens {

    /** How long a demo token stays valid; streams close when their token expires. */
    static final Duration TOKEN_LIFETIME = Duration.ofHours(8);

    private final Algorithm algorithm;
    private final Clock clock;

    DemoTokens(String secret, Clock clock) {
        this.algorithm = Algorithm.HMAC256(Objects.requireNonNull(secret, "secret"));
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Returns a signed token for the user, valid for {@link #TOKEN_LIFETIME}. */
    String issue(DemoUser user) {
        Instant now = clock.instant();
        return JWT.create()
                .withSubject(user.id())
                .withClaim("roles", List.copyOf(user.roles()))
                .withIssuedAt(now)
                .withExpiresAt(now.plus(TOKEN_LIFETIME))
                .sign(algorithm);
    }
}
