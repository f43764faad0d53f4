package dev.ssekit.servlet;

import dev.ssekit.SseHub;
import dev.ssekit.auth.Authenticator;
import jakarta.servlet.http.HttpServlet;
import java.util.Objects;

/**
 * Serves a hub's event streams and its admin endpoints under one servlet mapping, for example
 * {@code /events/*}.
 *
 * <p>Skeleton: the endpoints are being built (see the servlet issue); the construction API below
 * is the one host applications use.
 */
public final class SseServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient SseHub hub;
    private final transient Authenticator authenticator;
    private final String adminRole;
    private final boolean closeOnTokenExpiry;
    private final boolean allowTokenQueryParameter;

    private SseServlet(Builder builder) {
        this.hub = builder.hub;
        this.authenticator = builder.authenticator;
        this.adminRole = builder.adminRole;
        this.closeOnTokenExpiry = builder.closeOnTokenExpiry;
        this.allowTokenQueryParameter = builder.allowTokenQueryParameter;
    }

    /** Starts a servlet over a hub, authenticating clients with the given authenticator. */
    public static Builder builder(SseHub hub, Authenticator authenticator) {
        return new Builder(hub, authenticator);
    }

    /** Configures an {@link SseServlet}. Not thread-safe. */
    public static final class Builder {

        private final SseHub hub;
        private final Authenticator authenticator;
        private String adminRole = "admin";
        private boolean closeOnTokenExpiry = true;
        private boolean allowTokenQueryParameter = true;

        private Builder(SseHub hub, Authenticator authenticator) {
            this.hub = Objects.requireNonNull(hub, "hub");
            this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        }

        /** The role allowed on the admin endpoints; default {@code admin}. */
        public Builder adminRole(String adminRole) {
            this.adminRole = Objects.requireNonNull(adminRole, "adminRole");
            return this;
        }

        /** Whether a stream closes when its token expires; default {@code true}. */
        public Builder closeOnTokenExpiry(boolean closeOnTokenExpiry) {
            this.closeOnTokenExpiry = closeOnTokenExpiry;
            return this;
        }

        /** Whether a {@code token} query parameter is accepted; default {@code true}. */
        public Builder allowTokenQueryParameter(boolean allowTokenQueryParameter) {
            this.allowTokenQueryParameter = allowTokenQueryParameter;
            return this;
        }

        /** Returns the servlet, to register with the container. */
        public SseServlet build() {
            return new SseServlet(this);
        }
    }
}
