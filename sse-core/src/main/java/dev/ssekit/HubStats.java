package dev.ssekit;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;
import java.util.Map;

/**
 * A point-in-time snapshot of a hub's statistics; immutable, and serializable to JSON with a
 * plain Jackson {@code ObjectMapper} (a record with maps of strings and numbers).
 *
 * @param openStreams streams open now
 * @param usersConnected distinct users with at least one open stream
 * @param streamsPerUser open streams per user id
 * @param eventsEmitted events emitted, in total
 * @param eventsEmittedByType events emitted per event type; the first 1000 types are counted by
 *     name, any further ones together under {@code (other)}
 * @param eventsDeliveredByType events written to a client per event type (one per stream),
 *     bounded in the same way
 * @param streamsOpened streams opened since start
 * @param streamsClosedByReason streams closed per {@link CloseReason} name, plus
 *     {@code LIMIT} for streams refused at a limit
 * @param heartbeats heartbeat comments written
 * @param startedAt when the hub started; in JSON an ISO-8601 string such as
 *     {@code "2026-03-01T10:00:00Z"}, so that no Jackson time module is needed
 * @param uptimeSeconds whole seconds since the hub started
 */
public record HubStats(
        int openStreams,
        int usersConnected,
        Map<String, Integer> streamsPerUser,
        long eventsEmitted,
        Map<String, Long> eventsEmittedByType,
        Map<String, Long> eventsDeliveredByType,
        long streamsOpened,
        Map<String, Long> streamsClosedByReason,
        long heartbeats,
        // A plain ObjectMapper refuses java.time types without the JSR-310 module.
        @JsonSerialize(using = ToStringSerializer.class) Instant startedAt,
        long uptimeSeconds) {

    /** Copies the maps so the snapshot stays immutable. */
    public HubStats {
        streamsPerUser = Map.copyOf(streamsPerUser);
        eventsEmittedByType = Map.copyOf(eventsEmittedByType);
        eventsDeliveredByType = Map.copyOf(eventsDeliveredByType);
        streamsClosedByReason = Map.copyOf(streamsClosedByReason);
    }
}
