package dev.ssekit.examples;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.auth0.jwt.interfaces.JWTVerifier;
import dev.ssekit.auth.AuthenticatedUser;
import dev.ssekit.auth.AuthenticationException;
import dev.ssekit.auth.Authenticator;
import java.util.List;
import java.util.Set;

/**
 * Stands in for {@code dev.ssekit.auth.JwtAuthenticator} until that class is merged from the
 * servlet branch, with the same rules: HS256, user id from {@code sub}, roles from a
 * {@code roles} array claim. Thread-safe.
 */
final class InterimJwtAuthenticator implements Authenticator {

    private final JWTVerifier verifier;

    private InterimJwtAuthenticator(JWTVerifier verifier) {
        this.verifier = verifier;
    }

    static Authenticator hmac(String secret) {
        return new InterimJwtAuthenticator(JWT.require(Algorithm.HMAC256(secret)).build());
    }

    @Override
    public AuthenticatedUser authenticate(String token) throws AuthenticationException {
        DecodedJWT jwt;
        try {
            jwt = verifier.verify(token);
        } catch (JWTVerificationException e) {
            throw new AuthenticationException("invalid or expired token");
        }
        if (jwt.getSubject() == null || jwt.getSubject().isEmpty()) {
            throw new AuthenticationException("token has no subject");
        }
        List<String> roles = jwt.getClaim("roles").asList(String.class);
        return new AuthenticatedUser(jwt.getSubject(),
                roles == null ? Set.of() : Set.copyOf(roles), jwt.getExpiresAtAsInstant());
    }
}
