package dev.ssekit;

/**
 * What an {@link EventPublisher} did with one event.
 *
 * @param eventId the event's {@code id:} (assigned by the hub when the event had none)
 * @param streamsReached how many open streams the event was queued for at the moment of the
 *     emit; each is written later, off the caller's thread
 */
public record Emission(String eventId, int streamsReached) {
}
