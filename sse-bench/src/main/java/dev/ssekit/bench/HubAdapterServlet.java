package dev.ssekit.bench;

import dev.ssekit.SseHub;
import dev.ssekit.SseStream;
import dev.ssekit.SseTransport;
import dev.ssekit.StreamRejectedException;
import dev.ssekit.StreamRequest;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The smallest non-blocking servlet transport for a hub: one stream per request, writes through
 * the servlet 3.1 {@link WriteListener}. It stands in for the real adapter so the core's cost
 * can be measured on its own; it does no authentication and reads no Last-Event-ID.
 */
final class HubAdapterServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient SseHub hub;

    HubAdapterServlet(SseHub hub) {
        this.hub = hub;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setBufferSize(512);
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        AsyncTransport transport = new AsyncTransport(async, response.getOutputStream());
        // Non-blocking mode first, so the hub's first write already finds it.
        response.getOutputStream().setWriteListener(transport);
        try {
            SseStream stream = hub.open(StreamRequest.builder("bench").build(), transport);
            async.addListener(new Disconnect(stream));
        } catch (StreamRejectedException e) {
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            async.complete();
        }
    }

    /** Tells the hub when the container sees the client go. */
    private static final class Disconnect implements AsyncListener {

        private final SseStream stream;

        Disconnect(SseStream stream) {
            this.stream = stream;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            stream.clientDisconnected();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            stream.clientDisconnected();
        }

        @Override
        public void onError(AsyncEvent event) {
            stream.clientDisconnected();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // Nothing: the stream lives as long as the response.
        }
    }

    /**
     * Writes one batch at a time: writes and flushes when the stream is ready, otherwise parks
     * the batch until {@link #onWritePossible}. All state is guarded by {@code lock}; the hub's
     * callback runs outside it.
     */
    private static final class AsyncTransport implements SseTransport, WriteListener {

        private final Object lock = new Object();
        private final AsyncContext async;
        private final ServletOutputStream out;

        // Guarded by lock.
        private byte[] unwritten;
        private WriteCallback waiting;
        private boolean closed;

        AsyncTransport(AsyncContext async, ServletOutputStream out) {
            this.async = async;
            this.out = out;
        }

        @Override
        public void write(byte[] bytes, WriteCallback callback) {
            synchronized (lock) {
                unwritten = bytes;
                waiting = callback;
            }
            progress();
        }

        @Override
        public void onWritePossible() {
            progress();
        }

        @Override
        public void onError(Throwable cause) {
            WriteCallback failed;
            synchronized (lock) {
                failed = waiting;
                waiting = null;
            }
            if (failed != null) {
                failed.onFailed(cause);
            }
        }

        /** Moves the pending batch on as far as the container lets it without blocking. */
        private void progress() {
            WriteCallback done;
            try {
                synchronized (lock) {
                    if (waiting == null || closed || !out.isReady()) {
                        return;
                    }
                    if (unwritten != null) {
                        byte[] bytes = unwritten;
                        unwritten = null;
                        out.write(bytes);
                        if (!out.isReady()) {
                            return;
                        }
                    }
                    out.flush();
                    if (!out.isReady()) {
                        return;
                    }
                    done = waiting;
                    waiting = null;
                }
            } catch (IOException | IllegalStateException e) {
                onError(e);
                return;
            }
            done.onWritten();
        }

        @Override
        public void close() {
            synchronized (lock) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            try {
                async.complete();
            } catch (IllegalStateException e) {
                // Already completed by the container after the client left.
            }
        }
    }
}
