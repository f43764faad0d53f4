package dev.ssekit.servlet;

import dev.ssekit.SseStream;
import dev.ssekit.SseTransport;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import java.io.EOFException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link SseTransport} over servlet async I/O: each hub write becomes a non-blocking
 * {@code write} then {@code flush} on the response's output stream (or the container's
 * {@link UnbufferedWrite}, where it has one), driven by a {@link WriteListener}, so neither a
 * container thread nor a hub thread ever waits for a slow client.
 *
 * <p>Threading: the hub calls {@link #write} and {@link #close} from its threads, the container
 * calls the listener methods from its threads. The fields below are guarded by {@code lock}.
 * Only the thread that set {@code pumping} touches the output stream, so the stream never sees
 * two callers at once; a thread that finds the pump busy sets {@code pumpAgain} and leaves, and
 * the pumping thread runs another round. Output waits for the container's first
 * {@code onWritePossible}, as the servlet specification asks. The hub's callback runs outside
 * the lock. Once closed, the output stream is never touched again: a container may recycle it
 * as soon as the async cycle completes, which is why {@link #close} leaves the completion to a
 * pump in progress.
 */
final class AsyncStreamTransport implements SseTransport, WriteListener, AsyncListener {

    private static final Logger log = LoggerFactory.getLogger(AsyncStreamTransport.class);

    /** Response buffer where frames go through it: small, the hub hands over whole batches. */
    static final int STREAM_BUFFER_BYTES = 512;

    /**
     * Where the write in progress stands: bytes to write, a flush to start, a flush (or an
     * unbuffered write) under way, or done. A step runs only when {@code isReady()} says so;
     * when it says no, the container calls {@code onWritePossible} later and the pump resumes.
     */
    private enum Phase { IDLE, WRITE, FLUSH, FLUSHING, DONE }

    private final Object lock = new Object();

    // Guarded by lock.
    private AsyncContext async;
    private ServletOutputStream out;
    private UnbufferedWrite unbuffered;
    private SseStream stream;
    private boolean writable;
    private boolean pumping;
    private boolean pumpAgain;
    private boolean closed;
    private boolean completed;
    private boolean completeWhenIdle;
    private Phase phase = Phase.IDLE;
    private byte[] pending;
    private WriteCallback callback;

    /**
     * Binds the transport to a started async cycle, once the hub accepted the stream. Called
     * once, from the request thread, after the response headers are set.
     *
     * @throws IOException if the container cannot give the output stream
     * @throws IllegalStateException if the response has a writer already
     */
    void attach(AsyncContext context, SseStream opened) throws IOException {
        ServletResponse response = context.getResponse();
        ServletOutputStream output = response.getOutputStream();
        UnbufferedWrite direct = UnbufferedWrite.of(output).orElse(null);
        if (direct == null) {
            shrinkBuffer(response);
        }
        context.addListener(this);
        boolean closedEarly;
        synchronized (lock) {
            this.async = context;
            this.out = output;
            this.unbuffered = direct;
            this.stream = opened;
            closedEarly = closed;
            completed = closed;
        }
        if (closedEarly) {
            // The hub closed the stream before it was attached (a shutdown, say).
            complete(context);
            return;
        }

        try {
            output.setWriteListener(this);
        } catch (IllegalStateException e) {
            // Only legitimate when the hub closed the stream meanwhile and completed the cycle.
            if (!isClosed()) {
                throw e;
            }
        }
    }

    @Override
    public void write(byte[] bytes, WriteCallback done) {
        boolean refused;
        synchronized (lock) {
            refused = closed;
            if (!refused) {
                pending = bytes;
                callback = done;
                phase = Phase.WRITE;
            }
        }
        if (refused) {
            done.onFailed(new EOFException("the stream is closed"));
            return;
        }
        pump();
    }

    @Override
    public void close() {
        AsyncContext completing;
        synchronized (lock) {
            closed = true;
            if (completed) {
                return;
            }
            if (pumping) {
                completeWhenIdle = true;
                return;
            }
            completed = async != null;
            completing = async;
        }
        complete(completing);
    }

    @Override
    public void onWritePossible() {
        synchronized (lock) {
            writable = true;
        }
        pump();
    }

    @Override
    public void onError(Throwable failure) {
        log.debug("[{}] write failed: {}", streamId(), failure.toString());
        fail(failure);
        disconnected();
        close();
    }

    @Override
    public void onComplete(AsyncEvent event) {
        synchronized (lock) {
            completed = true;
        }
        fail(new EOFException("the response completed"));
        disconnected();
    }

    @Override
    public void onError(AsyncEvent event) {
        log.debug("[{}] connection error: {}", streamId(), String.valueOf(event.getThrowable()));
        fail(event.getThrowable());
        disconnected();
        close();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        // The timeout is switched off; a container that fires anyway ends the stream cleanly.
        disconnected();
        close();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // The cycle is started once, by the servlet, before this listener is added.
    }

    /**
     * The hub coalesces frames into one write per flush already; a container's default buffer
     * (Jetty: 32 KB of direct memory) would stay reserved for the stream's whole life.
     */
    private static void shrinkBuffer(ServletResponse response) {
        try {
            response.setBufferSize(STREAM_BUFFER_BYTES);
        } catch (IllegalStateException e) {
            // Something (a host's filter) wrote to the response first: keep the buffer it has.
            log.trace("response buffer kept: {}", e.toString());
        }
    }

    /** Runs write rounds until no thread asked for another one. */
    private void pump() {
        synchronized (lock) {
            if (pumping) {
                pumpAgain = true;
                return;
            }
            if (closed || !writable) {
                return;
            }
            pumping = true;
        }

        while (true) {
            advance();
            AsyncContext completing;
            synchronized (lock) {
                if (pumpAgain && !closed) {
                    pumpAgain = false;
                    continue;
                }
                pumping = false;
                pumpAgain = false;
                if (!completeWhenIdle) {
                    return;
                }
                completeWhenIdle = false;
                completed = true;
                completing = async;
            }
            complete(completing);
            return;
        }
    }

    /**
     * Moves the write in progress as far as the output allows without blocking, then tells
     * the hub if it finished. Only the pumping thread calls it.
     */
    private void advance() {
        Phase current;
        byte[] bytes;
        ServletOutputStream output;
        UnbufferedWrite direct;
        synchronized (lock) {
            current = phase;
            bytes = pending;
            output = out;
            direct = unbuffered;
        }
        if (current == Phase.IDLE) {
            return;
        }

        Phase reached;
        try {
            reached = step(output, direct, current, bytes);
        } catch (IOException | RuntimeException e) {
            WriteCallback failed = takeCallback();
            if (failed != null) {
                failed.onFailed(e);
            }
            return;
        }
        if (reached != Phase.DONE) {
            setPhase(reached);
            return;
        }
        WriteCallback done = takeCallback();
        if (done != null) {
            done.onWritten();
        }
    }

    /**
     * Performs the non-blocking steps that are possible now; returns the phase reached. A
     * container's unbuffered write, when it has one, sends the bytes without a flush step.
     */
    private static Phase step(ServletOutputStream output, UnbufferedWrite direct, Phase from,
            byte[] bytes) throws IOException {
        Phase phase = from;
        if (phase == Phase.WRITE && output.isReady()) {
            if (direct != null) {
                direct.write(output, bytes);
                phase = Phase.FLUSHING;
            } else {
                output.write(bytes);
                phase = Phase.FLUSH;
            }
        }
        if (phase == Phase.FLUSH && output.isReady()) {
            output.flush();
            phase = Phase.FLUSHING;
        }
        if (phase == Phase.FLUSHING && output.isReady()) {
            phase = Phase.DONE;
        }
        return phase;
    }

    private void setPhase(Phase reached) {
        synchronized (lock) {
            if (!closed) {
                phase = reached;
            }
        }
    }

    private boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    private WriteCallback takeCallback() {
        synchronized (lock) {
            WriteCallback taken = callback;
            callback = null;
            pending = null;
            phase = Phase.IDLE;
            return taken;
        }
    }

    private void fail(Throwable cause) {
        WriteCallback failed;
        synchronized (lock) {
            closed = true;
            failed = takeCallback();
        }
        if (failed != null) {
            failed.onFailed(cause);
        }
    }

    private void disconnected() {
        SseStream current;
        synchronized (lock) {
            current = stream;
        }
        if (current != null) {
            current.clientDisconnected();
        }
    }

    /** Ends the async cycle; tolerates a cycle the container ended already. */
    private static void complete(AsyncContext completing) {
        if (completing == null) {
            return;
        }
        try {
            completing.complete();
        } catch (IllegalStateException e) {
            // The container already ended the cycle (the client went away first).
            log.trace("async cycle already complete: {}", e.toString());
        }
    }

    /** The log prefix of this stream: its id and user. */
    private String streamId() {
        synchronized (lock) {
            return stream == null ? "unattached" : stream.id() + " user=" + stream.userId();
        }
    }
}
