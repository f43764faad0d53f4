package dev.ssekit.auth;

/**
 * Turns the credential a client presented into an {@link AuthenticatedUser}. Hosts may plug in
 * their own; {@link JwtAuthenticator} verifies JSON Web Tokens.
 *
 * <p>Implementations must be thread-safe: adapters call them concurrently from request threads.
 * They should not block for long; an exception other than {@link AuthenticationException} is
 * treated by adapters as a refusal and logged at WARN.
 */
@FunctionalInterface
public interface Authenticator {

    /**
     * Authenticates a bearer credential.
     *
     * @param token the credential as presented, never {@code null}; never log it
     * @return the user, never {@code null}
     * @throws AuthenticationException if the credential is missing, invalid, expired, or names
     *     a user the host refuses; its message is safe to show the client
     */
    AuthenticatedUser authenticate(String token) throws AuthenticationException;
}
