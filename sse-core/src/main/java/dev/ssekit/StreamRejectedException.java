package dev.ssekit;

import java.util.Objects;

/**
 * Thrown by {@link SseHub#open} when a stream cannot be opened. The {@link #reason()} tells an
 * adapter which answer to give: see {@link Reason}.
 */
public final class StreamRejectedException extends Exception {

    /** Why a stream was refused. */
    public enum Reason {
        /** The hub holds its maximum number of streams; HTTP adapters answer 503. */
        GLOBAL_LIMIT,
        /** The user holds its maximum number of streams; HTTP adapters answer 429. */
        USER_LIMIT,
        /** The hub is shutting down or closed; HTTP adapters answer 503. */
        SHUTTING_DOWN
    }

    private final Reason reason;

    /** Creates the exception; the message must not contain a secret. */
    public StreamRejectedException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Why the stream was refused. */
    public Reason reason() {
        return reason;
    }
}
