package dev.ssekit.examples;

import dev.ssekit.Emission;
import dev.ssekit.HubStats;
import dev.ssekit.SseEvent;
import dev.ssekit.SseHub;
import dev.ssekit.SseStream;
import dev.ssekit.SseTransport;
import dev.ssekit.StreamRejectedException;
import dev.ssekit.StreamRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A hub decorator that remembers the open streams of each user, so that the demo can end a
 * user's streams from the server side and show the browser reconnecting and replaying what it
 * missed. Everything else is passed to the wrapped hub unchanged.
 *
 * <p>Thread-safe: streams open and close on container and hub threads; the map is concurrent
 * and each stream removes itself through its close listener.
 */
final class StreamTrackingHub implements SseHub {

    private final SseHub delegate;
    private final Map<String, Set<SseStream>> streamsByUser = new ConcurrentHashMap<>();

    StreamTrackingHub(SseHub delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /**
     * Closes every open stream of one user as closed by the server; their clients reconnect
     * after the {@code retry:} delay and resume from their last event id.
     *
     * @return how many streams were closed
     */
    int closeStreamsOf(String userId) {
        Set<SseStream> streams = streamsByUser.getOrDefault(userId, Set.of());
        List<SseStream> snapshot = List.copyOf(streams);
        snapshot.forEach(SseStream::close);
        return snapshot.size();
    }

    @Override
    public SseStream open(StreamRequest request, SseTransport transport)
            throws StreamRejectedException {
        SseStream stream = delegate.open(request, transport);
        Set<SseStream> streams = streamsByUser.computeIfAbsent(request.userId(),
                user -> ConcurrentHashMap.newKeySet());
        streams.add(stream);
        // Runs at once when the stream already closed, so no handle is ever left behind.
        stream.onClose(reason -> streams.remove(stream));
        return stream;
    }

    @Override
    public Emission emit(String type, Object data) {
        return delegate.emit(type, data);
    }

    @Override
    public Emission emitTo(String userId, String type, Object data) {
        return delegate.emitTo(userId, type, data);
    }

    @Override
    public Emission emit(SseEvent event) {
        return delegate.emit(event);
    }

    @Override
    public Emission emitTo(String userId, SseEvent event) {
        return delegate.emitTo(userId, event);
    }

    @Override
    public HubStats stats() {
        return delegate.stats();
    }

    @Override
    public boolean isOpen() {
        return delegate.isOpen();
    }

    @Override
    public void close(Duration grace) {
        delegate.close(grace);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
