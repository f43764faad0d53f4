package dev.ssekit.auth;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Who a client is, as an {@link Authenticator} established it.
 *
 * @param userId the user's id, never {@code null} or empty
 * @param roles the user's roles, never {@code null}
 * @param expiresAt when the credential stops being valid, or {@code null} for never
 */
public record AuthenticatedUser(String userId, Set<String> roles, Instant expiresAt) {

    /** Checks and copies the fields. */
    public AuthenticatedUser {
        Objects.requireNonNull(userId, "userId");
        if (userId.isEmpty()) {
            throw new IllegalArgumentException("userId must not be empty");
        }
        roles = Set.copyOf(Objects.requireNonNull(roles, "roles"));
    }

    /** Whether the user holds the role. */
    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}
