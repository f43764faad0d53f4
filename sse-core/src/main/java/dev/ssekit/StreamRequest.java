package dev.ssekit;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * What a client asked for when it opened a stream: who it is, which event types it wants,
 * where it left off, and until when its credentials are valid. Built by an adapter after it
 * authenticated the client; immutable and thread-safe.
 */
public final class StreamRequest {

    private final String userId;
    private final Set<String> roles;
    private final EventTypeFilter filter;
    private final String lastEventId;
    private final Instant expiresAt;

    private StreamRequest(Builder builder) {
        this.userId = builder.userId;
        this.roles = builder.roles;
        this.filter = builder.filter;
        this.lastEventId = builder.lastEventId;
        this.expiresAt = builder.expiresAt;
    }

    /**
     * Starts a request for the given user.
     *
     * @throws IllegalArgumentException if the user id is empty or holds a control character
     */
    public static Builder builder(String userId) {
        return new Builder(userId);
    }

    /** The authenticated user's id; never {@code null} or empty. */
    public String userId() {
        return userId;
    }

    /** The user's roles; never {@code null}. */
    public Set<String> roles() {
        return roles;
    }

    /** The event types the client selected; {@link EventTypeFilter#all()} by default. */
    public EventTypeFilter filter() {
        return filter;
    }

    /** The last event id the client saw, or {@code null} for a fresh stream. */
    public String lastEventId() {
        return lastEventId;
    }

    /** When the hub closes the stream as {@link CloseReason#EXPIRED}, or {@code null}. */
    public Instant expiresAt() {
        return expiresAt;
    }

    /** Builds a {@link StreamRequest}. Not thread-safe. */
    public static final class Builder {

        private final String userId;
        private Set<String> roles = Set.of();
        private EventTypeFilter filter = EventTypeFilter.all();
        private String lastEventId;
        private Instant expiresAt;

        private Builder(String userId) {
            Objects.requireNonNull(userId, "userId");
            if (userId.isEmpty()) {
                throw new IllegalArgumentException("userId must not be empty");
            }
            if (userId.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException(
                        "userId must not hold control characters: it is written to logs");
            }
            this.userId = userId;
        }

        /** Sets the user's roles (default none). */
        public Builder roles(Set<String> roles) {
            this.roles = Set.copyOf(Objects.requireNonNull(roles, "roles"));
            return this;
        }

        /** Sets the type filter (default {@link EventTypeFilter#all()}). */
        public Builder filter(EventTypeFilter filter) {
            this.filter = Objects.requireNonNull(filter, "filter");
            return this;
        }

        /** Sets where the client left off; {@code null} or empty for a fresh stream. */
        public Builder lastEventId(String lastEventId) {
            this.lastEventId = lastEventId == null || lastEventId.isEmpty() ? null : lastEventId;
            return this;
        }

        /** Sets when the stream's credentials expire; {@code null} (default) for never. */
        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        /** Returns the request. */
        public StreamRequest build() {
            return new StreamRequest(this);
        }
    }
}
