package dev.ssekit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link ReplayStore} in this JVM's memory, bounded by a number of events and by their age.
 * Memory use is at most {@code capacity} frames. Thread-safe: every method holds a private lock.
 */
public final class InMemoryReplayStore implements ReplayStore {

    private final Object lock = new Object();
    private final int capacity;
    private final Duration maxAge;
    private final Clock clock;

    // Guarded by lock: a ring of the newest events, and each id's absolute position in it.
    private final StoredEvent[] ring;
    private final Map<String, Long> positionById = new HashMap<>();
    private long firstPosition;
    private int size;

    /**
     * Creates a store.
     *
     * @param capacity the most events kept, at least 0 (0 keeps nothing)
     * @param maxAge how long an event is kept, positive
     * @param clock the time source for ageing events
     */
    public InMemoryReplayStore(int capacity, Duration maxAge, Clock clock) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0, got " + capacity);
        }
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive, got " + maxAge);
        }
        this.capacity = capacity;
        this.maxAge = maxAge;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ring = new StoredEvent[capacity];
    }

    @Override
    public void append(StoredEvent event) {
        Objects.requireNonNull(event, "event");
        if (capacity == 0) {
            return;
        }

        synchronized (lock) {
            if (size == capacity) {
                evictOldest();
            }
            long position = firstPosition + size;
            ring[(int) (position % capacity)] = event;
            positionById.put(event.id(), position);
            size++;
        }
    }

    @Override
    public Optional<List<StoredEvent>> eventsAfter(String lastEventId) {
        Objects.requireNonNull(lastEventId, "lastEventId");

        synchronized (lock) {
            evictExpired();
            Long position = positionById.get(lastEventId);
            if (position == null) {
                return Optional.empty();
            }
            List<StoredEvent> after = new ArrayList<>();
            for (long p = position + 1; p < firstPosition + size; p++) {
                after.add(ring[(int) (p % capacity)]);
            }
            return Optional.of(after);
        }
    }

    @Override
    public Optional<String> newestId() {
        synchronized (lock) {
            if (size == 0) {
                return Optional.empty();
            }
            return Optional.of(ring[(int) ((firstPosition + size - 1) % capacity)].id());
        }
    }

    /** How many events are stored now (after evicting expired ones). */
    public int size() {
        synchronized (lock) {
            evictExpired();
            return size;
        }
    }

    private void evictExpired() {
        Instant oldestKept = clock.instant().minus(maxAge);
        while (size > 0 && ring[(int) (firstPosition % capacity)].emittedAt()
                .isBefore(oldestKept)) {
            evictOldest();
        }
    }

    private void evictOldest() {
        int slot = (int) (firstPosition % capacity);
        StoredEvent oldest = ring[slot];
        ring[slot] = null;
        positionById.remove(oldest.id(), firstPosition);
        firstPosition++;
        size--;
    }
}
