package dev.ssekit;

/**
 * Pushes events to the open streams of a hub: what integrators call from their own code.
 *
 * <p>Every method may be called from any thread, at any time, and returns promptly: it encodes
 * the event once, records it for replay, queues the same bytes for each matching stream and
 * returns; the writes happen later on the hub's delivery threads, so a slow or stalled client
 * never blocks the caller. Events are queued for each stream in the order the emits took
 * effect. After the hub is closed, an emit reaches no stream and is not recorded.
 *
 * <p>Any event type name is allowed, so integrators may use their own (for example
 * {@code record.created}); a type containing CR, LF or NUL is rejected.
 */
public interface EventPublisher {

    /**
     * Sends an event to every open stream whose filter selects its type.
     *
     * @param type the event type, or {@code null} for {@code message}
     * @param data a string sent as it is, or an object serialized to JSON
     * @return the event id and how many streams it was queued for
     * @throws IllegalArgumentException if the type is invalid or the data cannot be serialized
     */
    Emission emit(String type, Object data);

    /**
     * Sends an event to every open stream of one user, and to no one else.
     *
     * @param userId the receiving user's id, not {@code null}
     * @return the event id and how many of the user's streams it was queued for
     * @throws IllegalArgumentException as for {@link #emit(String, Object)}
     */
    Emission emitTo(String userId, String type, Object data);

    /**
     * Sends a fully specified event to every open stream whose filter selects its type.
     * If the event has no id the hub assigns one.
     *
     * @throws IllegalArgumentException if the data cannot be serialized
     */
    Emission emit(SseEvent event);

    /**
     * Sends a fully specified event to every open stream of one user, and to no one else.
     *
     * @throws IllegalArgumentException if the data cannot be serialized
     */
    Emission emitTo(String userId, SseEvent event);
}
