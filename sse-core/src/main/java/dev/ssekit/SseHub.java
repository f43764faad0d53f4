package dev.ssekit;

import java.time.Duration;

/**
 * The hub: a registry of open event streams and the {@link EventPublisher} that fans events
 * out to them. Create one per application with {@link #builder()}, attach streams with
 * {@link #open}, and close it on shutdown.
 *
 * <p>Thread-safe: every method may be called from any thread.
 */
public interface SseHub extends EventPublisher, AutoCloseable {

    /** Returns a builder with the documented defaults. */
    static SseHubBuilder builder() {
        return new SseHubBuilder();
    }

    /**
     * Registers a stream for an authenticated client and starts delivering to it. The first
     * bytes queued are the {@code retry:} field of {@link SseHubBuilder#reconnectDelay}, then
     * the events missed since {@link StreamRequest#lastEventId()} (or, when that id is unknown,
     * one {@value #MISSED_EVENTS_TYPE} event), then live events. Never blocks on I/O.
     *
     * @return a handle on the stream
     * @throws StreamRejectedException if a limit is reached or the hub is shutting down
     */
    SseStream open(StreamRequest request, SseTransport transport)
            throws StreamRejectedException;

    /** Returns a snapshot of the statistics. */
    HubStats stats();

    /** Whether the hub still accepts streams and events. */
    boolean isOpen();

    /**
     * Shuts down: stops accepting streams and events, sends each client a {@code retry:} with
     * random jitter so they do not all reconnect at once, lets queued bytes drain, closes every
     * stream still open when the grace period ends (stalled ones too), and stops the threads
     * the hub created. Blocks at most about {@code grace} plus a bounded thread stop. Idempotent.
     */
    void close(Duration grace);

    /**
     * Same as {@link #close(Duration)} with the configured {@link SseHubBuilder#shutdownGrace}.
     */
    @Override
    void close();

    /**
     * The type of the event sent to a reconnecting client whose {@code Last-Event-ID} the hub no
     * longer knows, meaning some events were missed. Its data is a JSON object
     * {@code {"lastEventId": "<what the client sent>"}}; its id is the newest event id the hub
     * knows (empty when it knows none), so that the client resumes from there.
     */
    String MISSED_EVENTS_TYPE = "ssekit.missed";
}
