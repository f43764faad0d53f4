package dev.ssekit;

import java.util.List;
import java.util.Optional;

/**
 * Remembers recent events so that a client that reconnects with a {@code Last-Event-ID}
 * receives what it missed. The hub calls every method while holding its publish lock, so
 * appends and reads never interleave within one hub; an implementation shared between hubs
 * must be thread-safe itself. Methods must not block for long: they run on the emit path.
 */
public interface ReplayStore {

    /** Records an event, evicting the oldest ones beyond the store's bounds. */
    void append(StoredEvent event);

    /**
     * Returns every stored event after the one with the given id, oldest first, or an empty
     * optional when that id is unknown or was already evicted (the client then missed events).
     */
    Optional<List<StoredEvent>> eventsAfter(String lastEventId);

    /** The id of the newest stored event, or an empty optional when none is stored. */
    Optional<String> newestId();
}
