package dev.ssekit;

/** Why a stream ended; counted in {@link HubStats#streamsClosedByReason()}. */
public enum CloseReason {
    /** The client went away: it disconnected, or a write to it failed. */
    CLIENT_GONE,
    /** The client did not keep up: its queue filled, or a write stalled past the timeout. */
    SLOW,
    /** The stream's credentials expired (see {@link StreamRequest#expiresAt()}). */
    EXPIRED,
    /** The hub shut down. */
    SHUTDOWN,
    /** The application closed the stream through {@link SseStream#close()}. */
    CLOSED_BY_SERVER
}
