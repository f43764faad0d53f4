package dev.ssekit.servlet;

import dev.ssekit.auth.AuthenticatedUser;
import dev.ssekit.auth.AuthenticationException;
import dev.ssekit.auth.Authenticator;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a request's bearer token, has the host's {@link Authenticator} check it, and answers
 * 401 or 403 itself when the request may not go on. Never logs a token. Immutable and
 * thread-safe, provided the authenticator is.
 */
final class BearerAuthentication {

    private static final Logger log = LoggerFactory.getLogger(BearerAuthentication.class);

    private final Authenticator authenticator;
    private final String adminRole;

    BearerAuthentication(Authenticator authenticator, String adminRole) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.adminRole = Objects.requireNonNull(adminRole, "adminRole");
    }

    /** Authenticates an admin, or answers 401 or 403 and returns {@code null}. */
    AuthenticatedUser authorizeAdmin(HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        AuthenticatedUser user = authenticate(request, response, false);
        if (user == null) {
            return null;
        }
        if (!user.hasRole(adminRole)) {
            log.debug("user {} lacks the {} role for {}", user.userId(), adminRole,
                    request.getPathInfo());
            HttpAnswers.text(response, HttpServletResponse.SC_FORBIDDEN,
                    "the " + adminRole + " role is required");
            return null;
        }
        return user;
    }

    /** Authenticates the request, or answers 401 and returns {@code null}. */
    AuthenticatedUser authenticate(HttpServletRequest request,
            HttpServletResponse response, boolean queryTokenAllowed) throws IOException {
        String header = request.getHeader("Authorization");
        String token = header != null ? bearerToken(header)
                : queryTokenAllowed ? request.getParameter("token") : null;
        if (token == null || token.isEmpty()) {
            // A header that is there but unusable still wins over the query parameter: the
            // client's own header must not be overridden by whatever a URL carries.
            HttpAnswers.unauthorized(response, false, header != null
                    ? "the Authorization header must be 'Bearer <token>'"
                    : "a bearer token is required");
            return null;
        }

        try {
            return Objects.requireNonNull(authenticator.authenticate(token), "user");
        } catch (AuthenticationException e) {
            log.debug("authentication refused: {}", e.getMessage());
            HttpAnswers.unauthorized(response, true, e.getMessage());
        } catch (RuntimeException e) {
            // The class only: a careless message could hold the token.
            log.warn("authenticator {} threw {}; answering 401",
                    authenticator.getClass().getName(), e.getClass().getName());
            HttpAnswers.unauthorized(response, true, "token could not be verified");
        }
        return null;
    }

    /** The token of an {@code Authorization: Bearer <token>} value, or {@code null}. */
    private static String bearerToken(String header) {
        String trimmed = header.strip();
        if (trimmed.length() < 7
                || !trimmed.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return null;
        }
        return trimmed.substring(7).strip();
    }
}
