package dev.ssekit;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The open streams, by id and by user. Thread-safe: the maps are concurrent, and every add and
 * remove keeps both in step. Iteration is weakly consistent, which fan-out tolerates: a stream
 * closed meanwhile refuses the frame.
 */
final class StreamRegistry {

    private final Map<String, SseConnection> byId = new ConcurrentHashMap<>();
    private final Map<String, Set<SseConnection>> byUser = new ConcurrentHashMap<>();
    private final ReentrantLock emptyLock = new ReentrantLock();
    private final Condition emptied = emptyLock.newCondition();

    void add(SseConnection connection) {
        byId.put(connection.id(), connection);
        byUser.compute(connection.userId(), (user, streams) -> {
            Set<SseConnection> set = streams == null ? ConcurrentHashMap.newKeySet() : streams;
            set.add(connection);
            return set;
        });
    }

    /** Removes the stream; returns whether it was registered. */
    boolean remove(SseConnection connection) {
        if (byId.remove(connection.id()) == null) {
            return false;
        }
        byUser.computeIfPresent(connection.userId(), (user, streams) -> {
            streams.remove(connection);
            return streams.isEmpty() ? null : streams;
        });
        if (byId.isEmpty()) {
            signalEmpty();
        }
        return true;
    }

    int size() {
        return byId.size();
    }

    int countOf(String userId) {
        Set<SseConnection> streams = byUser.get(userId);
        return streams == null ? 0 : streams.size();
    }

    Collection<SseConnection> all() {
        return byId.values();
    }

    Collection<SseConnection> ofUser(String userId) {
        Set<SseConnection> streams = byUser.get(userId);
        return streams == null ? Set.of() : streams;
    }

    int users() {
        return byUser.size();
    }

    Map<String, Integer> countsPerUser() {
        Map<String, Integer> counts = new TreeMap<>();
        byUser.forEach((user, streams) -> counts.put(user, streams.size()));
        return counts;
    }

    /** Waits until no stream is registered or the deadline passes; returns whether empty. */
    boolean awaitEmpty(long deadlineNanos) throws InterruptedException {
        emptyLock.lock();
        try {
            while (!byId.isEmpty()) {
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                emptied.await(remaining, TimeUnit.NANOSECONDS);
            }
            return true;
        } finally {
            emptyLock.unlock();
        }
    }

    private void signalEmpty() {
        emptyLock.lock();
        try {
            emptied.signalAll();
        } finally {
            emptyLock.unlock();
        }
    }
}
