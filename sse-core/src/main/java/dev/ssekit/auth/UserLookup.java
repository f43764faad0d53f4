package dev.ssekit.auth;

/**
 * A host's hook into authentication: after a credential has been verified, the host looks the
 * user up (for example in its database) and accepts, changes or refuses them.
 *
 * <p>Implementations must be thread-safe: authenticators call them concurrently from request
 * threads. They should answer quickly; a lookup that blocks holds a request thread.
 */
@FunctionalInterface
public interface UserLookup {

    /** A lookup that accepts every verified user unchanged. */
    UserLookup ACCEPT_ALL = user -> user;

    /**
     * Checks a verified user.
     *
     * @param verified the user as the credential describes them, never {@code null}
     * @return the user to admit, usually {@code verified} itself or a copy with the roles the
     *     host holds; {@code null} refuses the user as unknown
     * @throws AuthenticationException to refuse the user (unknown, disabled, locked) with a
     *     client-safe message
     */
    AuthenticatedUser lookUp(AuthenticatedUser verified) throws AuthenticationException;
}
