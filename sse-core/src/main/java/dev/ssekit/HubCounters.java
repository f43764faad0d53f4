package dev.ssekit;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The hub's running totals; thread-safe and contention-tolerant (striped adders). */
final class HubCounters {

    static final String LIMIT = "LIMIT";

    /** The most event types counted by name; further ones are counted together. */
    static final int MAX_COUNTED_TYPES = 1000;

    /** The key under which types beyond {@link #MAX_COUNTED_TYPES} are counted. */
    static final String OTHER_TYPES = "(other)";

    private final LongAdder emitted = new LongAdder();
    private final LongAdder opened = new LongAdder();
    private final LongAdder heartbeats = new LongAdder();
    private final Map<String, LongAdder> emittedByType = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> deliveredByType = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> closedByReason = new ConcurrentHashMap<>();

    void recordEmitted(String type) {
        emitted.increment();
        incrementType(emittedByType, type);
    }

    void recordDelivered(String type) {
        incrementType(deliveredByType, type);
    }

    void recordOpened() {
        opened.increment();
    }

    void recordClosed(CloseReason reason) {
        increment(closedByReason, reason.name());
    }

    void recordRejectedAtLimit() {
        increment(closedByReason, LIMIT);
    }

    void recordHeartbeat() {
        heartbeats.increment();
    }

    long emitted() {
        return emitted.sum();
    }

    long opened() {
        return opened.sum();
    }

    long heartbeats() {
        return heartbeats.sum();
    }

    Map<String, Long> emittedByType() {
        return snapshot(emittedByType);
    }

    Map<String, Long> deliveredByType() {
        return snapshot(deliveredByType);
    }

    Map<String, Long> closedByReason() {
        return snapshot(closedByReason);
    }

    /**
     * Counts by type name, up to a bound: type names come from integrators' code and from the
     * admin test endpoint, and a map keyed by them must not grow without limit.
     */
    private static void incrementType(Map<String, LongAdder> counts, String type) {
        LongAdder adder = counts.get(type);
        if (adder == null) {
            String key = counts.size() >= MAX_COUNTED_TYPES ? OTHER_TYPES : type;
            adder = counts.computeIfAbsent(key, k -> new LongAdder());
        }
        adder.increment();
    }

    private static void increment(Map<String, LongAdder> counts, String key) {
        LongAdder adder = counts.get(key);
        if (adder == null) {
            adder = counts.computeIfAbsent(key, k -> new LongAdder());
        }
        adder.increment();
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> counts) {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((key, adder) -> copy.put(key, adder.sum()));
        return copy;
    }
}
