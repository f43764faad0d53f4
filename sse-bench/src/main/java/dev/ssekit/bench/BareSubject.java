package dev.ssekit.bench;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.server.Server;

/**
 * The memory baseline: a bare async servlet on the same Jetty that answers with the event-stream
 * headers and holds the response open, with no library, no heartbeat and no broadcast.
 */
final class BareSubject implements Subject {

    private final HoldingServlet servlet = new HoldingServlet();
    private Server server;

    @Override
    public int start(SubjectConfig config) throws Exception {
        // No heartbeat here, so no idle timeout either: the streams are only held.
        server = JettyServers.start(servlet, "/events/*", Map.of(),
                config.sendBuffer(), 0);
        return JettyServers.port(server);
    }

    @Override
    public void broadcast(long intendedNanos, long seq, int frameBytes) {
        // The baseline only holds streams.
    }

    @Override
    public int openStreams() {
        return servlet.held.size();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** Starts async, flushes the headers and keeps the context until the container ends it. */
    private static final class HoldingServlet extends HttpServlet {

        private static final long serialVersionUID = 1L;

        final transient Set<AsyncContext> held = ConcurrentHashMap.newKeySet();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response)
                throws IOException {
            response.setContentType("text/event-stream");
            AsyncContext async = request.startAsync();
            async.setTimeout(0);
            held.add(async);
            async.addListener(new AsyncListener() {
                @Override
                public void onComplete(AsyncEvent event) {
                    held.remove(async);
                }

                @Override
                public void onTimeout(AsyncEvent event) {
                    held.remove(async);
                }

                @Override
                public void onError(AsyncEvent event) {
                    held.remove(async);
                }

                @Override
                public void onStartAsync(AsyncEvent event) {
                    // Nothing to do.
                }
            });
            response.flushBuffer();
        }
    }
}
