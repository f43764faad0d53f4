package dev.ssekit;

import java.time.Instant;
import java.util.Objects;

/**
 * An emitted event as the replay store keeps it: its encoded frame, its type for filtering and
 * its audience. Immutable; the frame array is shared and must not be modified.
 *
 * @param id the event's id, never {@code null}
 * @param type the event type, or {@code null} for {@code message}
 * @param targetUserId the only user allowed to see it, or {@code null} for everyone
 * @param frame the encoded bytes, exactly as sent live
 * @param emittedAt when the hub emitted the event
 */
public record StoredEvent(
        String id, String type, String targetUserId, byte[] frame, Instant emittedAt) {

    /** Checks the required fields. */
    public StoredEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(emittedAt, "emittedAt");
    }

    /** Whether the given user may see this event. */
    public boolean isVisibleTo(String userId) {
        return targetUserId == null || targetUserId.equals(userId);
    }
}
