package dev.ssekit.bench;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.ee10.servlets.EventSource;
import org.eclipse.jetty.ee10.servlets.EventSourceServlet;
import org.eclipse.jetty.server.Server;

/**
 * Jetty's own {@link EventSourceServlet} with the usual broadcast loop: one thread writes each
 * event to every emitter in turn (each write blocks until flushed) and forgets the ones that
 * fail. Its heartbeat is set to the same period as the other subjects'.
 */
final class JettySubject implements Subject {

    private final BroadcastServlet servlet = new BroadcastServlet();
    private Server server;

    @Override
    public int start(SubjectConfig config) throws Exception {
        long seconds = Math.max(1, config.heartbeat().toSeconds());
        server = JettyServers.start(servlet, "/events/*",
                Map.of("heartBeatPeriod", Long.toString(seconds)), config);
        return JettyServers.port(server);
    }

    @Override
    public void broadcast(long intendedNanos, long seq, int frameBytes) {
        String data = BenchEvent.payload(intendedNanos, seq, frameBytes);
        for (EventSource.Emitter emitter : servlet.emitters) {
            try {
                emitter.event(BenchEvent.TYPE, data);
            } catch (IOException e) {
                servlet.emitters.remove(emitter);
                emitter.close();
            }
        }
    }

    @Override
    public int openStreams() {
        return servlet.emitters.size();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** Keeps the set of open emitters, as applications built on this servlet do. */
    private static final class BroadcastServlet extends EventSourceServlet {

        private static final long serialVersionUID = 1L;

        final transient Set<EventSource.Emitter> emitters = ConcurrentHashMap.newKeySet();

        @Override
        protected EventSource newEventSource(HttpServletRequest request) {
            return new EventSource() {
                private EventSource.Emitter emitter;

                @Override
                public void onOpen(EventSource.Emitter opened) {
                    emitter = opened;
                    emitters.add(opened);
                }

                @Override
                public void onClose() {
                    emitters.remove(emitter);
                }
            };
        }
    }
}
