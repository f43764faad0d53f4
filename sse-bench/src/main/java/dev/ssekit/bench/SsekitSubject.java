package dev.ssekit.bench;

import dev.ssekit.CloseReason;
import dev.ssekit.SseEvent;
import dev.ssekit.SseHub;
import dev.ssekit.auth.AuthenticatedUser;
import dev.ssekit.auth.Authenticator;
import dev.ssekit.servlet.SseServlet;
import jakarta.servlet.http.HttpServlet;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.server.Server;

/**
 * ssekit on Jetty: the hub behind either the real {@link SseServlet} or, with
 * {@code adapter=true}, the benchmark's minimal async adapter (which measures the core alone).
 */
final class SsekitSubject implements Subject {

    private final boolean adapter;
    private SseHub hub;
    private Server server;

    SsekitSubject(boolean adapter) {
        this.adapter = adapter;
    }

    @Override
    public int start(SubjectConfig config) throws Exception {
        hub = SseHub.builder()
                .maxStreams(20_000)
                .maxStreamsPerUser(20_000)
                .maxQueuedEvents(config.maxQueuedEvents())
                .heartbeatInterval(config.heartbeat())
                .writeTimeout(config.writeTimeout())
                .deliveryThreads(Integer.getInteger("bench.deliveryThreads",
                        Math.max(2, Runtime.getRuntime().availableProcessors())))
                .build();
        Authenticator anyone = token -> new AuthenticatedUser("bench", Set.of(), null);
        HttpServlet servlet = adapter ? new HubAdapterServlet(hub)
                : SseServlet.builder(hub, anyone).build();
        server = JettyServers.start(servlet, "/events/*", Map.of(), config);
        return JettyServers.port(server);
    }

    @Override
    public void broadcast(long intendedNanos, long seq, int frameBytes) {
        // The hub adds an id line of about 17 bytes; the payload leaves room for it.
        hub.emit(SseEvent.of(BenchEvent.TYPE,
                BenchEvent.payload(intendedNanos, seq, frameBytes - 17)));
    }

    @Override
    public int openStreams() {
        return hub.stats().openStreams();
    }

    @Override
    public long droppedSlow() {
        return hub.stats().streamsClosedByReason().getOrDefault(CloseReason.SLOW.name(), 0L);
    }

    @Override
    public void close() throws Exception {
        hub.close(java.time.Duration.ZERO);
        server.stop();
    }
}
