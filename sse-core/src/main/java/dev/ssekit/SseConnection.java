package dev.ssekit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open stream: its bounded queue of frames and the single write in flight to its transport.
 *
 * <p>Threading: emitters call {@link #offer} (under the hub's publish lock, which fixes the
 * order of frames), the sweeper calls {@link #sweep}, delivery threads run {@link #drain}, and
 * any thread may close. All mutable state below is guarded by {@code lock}; decisions are taken
 * under it and the I/O, the hub callbacks and the user's listeners run outside it. At most one
 * drain runs or one write is in flight at a time ({@code scheduled}), so frames reach the
 * transport in queue order and are never interleaved.
 */
final class SseConnection implements SseStream {

    private static final Logger log = LoggerFactory.getLogger(SseConnection.class);

    /** Largest batch of queued frames coalesced into one transport write. */
    private static final int MAX_BATCH_BYTES = 64 * 1024;

    /** Heartbeats a probe writes, one now and the rest at the next sweeps; see probe(). */
    private static final int PROBE_HEARTBEATS = 3;

    /** What an offer did. */
    enum Offer { QUEUED, REFUSED, OVERFLOW }

    private final String id;
    private final StreamRequest request;
    private final long expiresAtMillis;
    private final int maxQueuedFrames;
    private final DeliveryQueue deliveries;
    private final DeliveryQueue.Delivery delivery = new Delivery();
    private final DefaultSseHub hub;
    private final Object lock = new Object();

    // Guarded by lock. The queue holds no array while empty and the listener list is sized
    // for an idle stream (most streams, most of the time); both grow on demand.
    private final FrameQueue queue = new FrameQueue();
    private SseTransport transport;
    private List<Consumer<CloseReason>> closeListeners = new ArrayList<>(2);
    private boolean scheduled;
    // 1 while a frame handed over with the stream's turn waits for its drain; it counts
    // against the queue bound like a queued frame.
    private int handedOver;
    private boolean writing;
    private long writeStartedAt;
    private long lastWriteAt;
    private boolean finishing;
    private int probesLeft;
    // True from taking a batch until write() returned: a close then leaves ending the transport
    // to the drain (deferredClose), so that no write ever starts after the transport's close.
    private boolean inWriteCall;
    private SseTransport deferredClose;
    private long closeDeferredAt;
    private volatile CloseReason closeReason;

    SseConnection(String id, StreamRequest request, SseTransport transport, DefaultSseHub hub,
            DeliveryQueue deliveries, int maxQueuedFrames, long now) {
        this.id = id;
        this.request = request;
        this.transport = transport;
        this.hub = hub;
        this.deliveries = deliveries;
        this.maxQueuedFrames = maxQueuedFrames;
        this.lastWriteAt = now;
        this.expiresAtMillis = request.expiresAt() == null
                ? Long.MAX_VALUE : request.expiresAt().toEpochMilli();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String userId() {
        return request.userId();
    }

    Set<String> roles() {
        return request.roles();
    }

    EventTypeFilter filter() {
        return request.filter();
    }

    @Override
    public boolean isOpen() {
        return closeReason == null;
    }

    /** The reason the stream closed, or {@code null} while open. */
    CloseReason closeReason() {
        return closeReason;
    }

    @Override
    public void onClose(Consumer<CloseReason> listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (lock) {
            if (closeListeners != null) {
                closeListeners.add(listener);
                return;
            }
        }
        runListener(listener, closeReason);
    }

    @Override
    public void clientDisconnected() {
        close(CloseReason.CLIENT_GONE);
    }

    @Override
    public void close() {
        close(CloseReason.CLOSED_BY_SERVER);
    }

    /**
     * Queues a frame. Never blocks and never writes: it schedules a drain on the delivery
     * queue when none is pending. Returns {@link Offer#OVERFLOW} when the queue is full, in
     * which case the caller closes the stream as slow once it left its lock.
     */
    Offer offer(Frame frame) {
        return offer(frame, true);
    }

    /**
     * Queues one of the frames a stream starts with (the {@code retry:} line, a replay or the
     * missed-events notice) whatever the queue bound: they count against it while they wait,
     * but a stream is never refused its own start.
     */
    void offerInitial(Frame frame) {
        offer(frame, false);
    }

    private Offer offer(Frame frame, boolean bounded) {
        synchronized (lock) {
            if (closeReason != null || finishing) {
                return Offer.REFUSED;
            }
            if (bounded && queue.size() + handedOver >= maxQueuedFrames) {
                return Offer.OVERFLOW;
            }
            if (scheduled) {
                queue.add(frame);
                return Offer.QUEUED;
            }
            // Idle, so the queue is empty: the frame travels with the stream's turn.
            scheduled = true;
            handedOver = 1;
        }
        deliveries.submit(delivery, frame);
        return Offer.QUEUED;
    }

    /**
     * Queues a last frame and closes the stream as {@link CloseReason#SHUTDOWN} once everything
     * queued has been written.
     */
    void finish(Frame last) {
        boolean schedule;
        synchronized (lock) {
            if (closeReason != null || finishing) {
                return;
            }
            queue.add(last);
            finishing = true;
            schedule = !scheduled;
            scheduled = true;
        }
        if (schedule) {
            scheduleDrain();
        }
    }

    /**
     * The periodic check: queues a heartbeat on an idle stream, and returns why the stream must
     * close (a stalled write, expired credentials), or {@code null}.
     */
    CloseReason sweep(long now, long heartbeatMillis, long writeTimeoutMillis) {
        boolean heartbeat = false;
        synchronized (lock) {
            if (closeReason != null) {
                return null;
            }
            if (now >= expiresAtMillis) {
                return CloseReason.EXPIRED;
            }
            if (writing && now - writeStartedAt >= writeTimeoutMillis) {
                return CloseReason.SLOW;
            }
            boolean probing = probesLeft > 0;
            if (!scheduled && !finishing && (probing || now - lastWriteAt >= heartbeatMillis)) {
                queue.add(Frame.HEARTBEAT);
                scheduled = true;
                heartbeat = true;
                // An idle heartbeat is followed by one more at the next sweep: after an orderly
                // close the first write still succeeds on some containers (Jetty) and only the
                // second fails, so a client that left is noticed within one heartbeat interval
                // and one sweep rather than two intervals.
                probesLeft = probing ? probesLeft - 1 : 1;
            }
        }
        if (heartbeat) {
            hub.counters().recordHeartbeat();
            scheduleDrain();
        }
        return null;
    }

    /**
     * Checks that the client is still there: a heartbeat now, unless a write is on its way
     * anyway, and another at each of the next sweeps. A client that closed its connection in
     * order is only noticed when a write fails, and on some containers (Jetty) the first write
     * after the close still succeeds; the second fails. The hub probes this way when a stream
     * limit is reached, so that connections already left free their place within a sweep or
     * two instead of a heartbeat interval or two.
     */
    void probe() {
        synchronized (lock) {
            if (closeReason != null || finishing) {
                return;
            }
            probesLeft = PROBE_HEARTBEATS;
            if (scheduled) {
                return;
            }
            queue.add(Frame.HEARTBEAT);
            scheduled = true;
            probesLeft--;
        }
        hub.counters().recordHeartbeat();
        scheduleDrain();
    }

    /**
     * Closes the stream: flips its state, drops what is queued, unregisters it, runs the close
     * listeners exactly once and ends the transport. Idempotent and safe from any thread.
     *
     * <p>When a delivery thread is inside {@link SseTransport#write} at that moment, the
     * transport is ended by that thread as soon as the call returns; a call that does not
     * return (a transport that blocks) is cut short by the hub's next sweep, see
     * {@link #endStalledTransport}.
     */
    void close(CloseReason reason) {
        List<Consumer<CloseReason>> listeners;
        SseTransport closing;
        synchronized (lock) {
            if (closeReason != null) {
                return;
            }
            closeReason = reason;
            queue.clear();
            listeners = closeListeners;
            closeListeners = null;
            closing = inWriteCall ? null : transport;
            if (inWriteCall) {
                deferredClose = transport;
                closeDeferredAt = hub.nowMillis();
            }
            transport = null;
        }

        hub.streamClosed(this, reason, closing == null);
        for (Consumer<CloseReason> listener : listeners) {
            runListener(listener, reason);
        }
        if (closing != null) {
            closeTransport(closing);
        }
    }

    /**
     * Ends the transport of a stream that closed during a write call that has now lasted at
     * least {@code minMillis}, that is a transport blocking in write. Returns {@code true} when
     * nothing is left to end.
     */
    boolean endStalledTransport(long now, long minMillis) {
        SseTransport stalled;
        synchronized (lock) {
            if (deferredClose == null) {
                return true;
            }
            if (now - closeDeferredAt < minMillis) {
                return false;
            }
            stalled = deferredClose;
            deferredClose = null;
        }
        closeTransport(stalled);
        return true;
    }

    /** Marks the write call over; returns whether the stream closed meanwhile. */
    private boolean endWriteCall() {
        SseTransport closing;
        synchronized (lock) {
            inWriteCall = false;
            if (closeReason == null) {
                return false;
            }
            closing = deferredClose;
            deferredClose = null;
        }
        if (closing != null) {
            closeTransport(closing);
        }
        return true;
    }

    private void closeTransport(SseTransport closing) {
        try {
            closing.close();
        } catch (RuntimeException e) {
            log.warn("[{} user={}] transport failed to close: {}", id, userId(), e.toString());
        }
    }

    private void scheduleDrain() {
        deliveries.submit(delivery, null);
    }

    /**
     * Writes queued frames, one coalesced batch at a time, until the queue is empty; the frame
     * handed over with the turn, if any, goes first.
     */
    private void drain(Frame handedOverFrame) {
        Frame first = handedOverFrame;
        while (true) {
            Frame[] batch;
            SseTransport target;
            boolean finished = false;
            synchronized (lock) {
                if (closeReason != null) {
                    return;
                }
                batch = queue.take(first, MAX_BATCH_BYTES);
                if (first != null) {
                    this.handedOver = 0;
                    first = null;
                }
                if (batch == null) {
                    scheduled = false;
                    finished = finishing;
                } else {
                    writing = true;
                    inWriteCall = true;
                    writeStartedAt = hub.nowMillis();
                }
                target = transport;
            }
            if (batch == null) {
                if (finished) {
                    close(CloseReason.SHUTDOWN);
                }
                return;
            }

            PendingWrite pending = new PendingWrite(batch);
            try {
                target.write(hub.batchJoiner().join(batch), pending);
            } catch (RuntimeException e) {
                pending.onFailed(e);
            }
            if (endWriteCall()) {
                return;
            }
            if (pending.returnedFirst()) {
                // The transport completes later; its callback schedules the next drain.
                return;
            }
        }
    }

    private void written(Frame[] batch) {
        synchronized (lock) {
            writing = false;
            lastWriteAt = hub.nowMillis();
        }
        for (Frame frame : batch) {
            for (String type : frame.eventTypes()) {
                hub.counters().recordDelivered(type);
            }
        }
    }

    private void runListener(Consumer<CloseReason> listener, CloseReason reason) {
        try {
            listener.accept(reason);
        } catch (RuntimeException e) {
            log.warn("[{} user={}] close listener threw", id, userId(), e);
        }
    }

    @Override
    public String toString() {
        return "SseStream[" + id + ", user=" + userId() + "]";
    }

    /** This stream's turn on a delivery thread. */
    private final class Delivery implements DeliveryQueue.Delivery {

        @Override
        public void deliver(Frame first) {
            drain(first);
        }

        @Override
        public void refused() {
            // Only when the delivery executor is shutting down: the stream cannot be served.
            close(CloseReason.SHUTDOWN);
        }
    }

    /**
     * The callback of one transport write. Tells the drain loop whether the write completed
     * inside {@code write} (then the loop goes on) or later (then the callback starts a new
     * drain), so that a synchronous transport does not recurse and an asynchronous one does
     * not hold a thread.
     */
    private final class PendingWrite implements SseTransport.WriteCallback {

        /** Set when write() returned before the write completed. */
        private static final int RETURNED = 1;
        /** Set by the first completion; later ones are ignored. */
        private static final int CLAIMED = 2;
        /** Set once the first completion is recorded. */
        private static final int COMPLETED = 4;

        private static final VarHandle STATE = stateHandle();

        private final Frame[] batch;
        @SuppressWarnings("unused") // Accessed through STATE.
        private volatile int state;

        PendingWrite(Frame[] batch) {
            this.batch = batch;
        }

        boolean returnedFirst() {
            int current = state;
            while ((current & COMPLETED) == 0) {
                if (STATE.compareAndSet(this, current, current | RETURNED)) {
                    return true;
                }
                current = state;
            }
            return false;
        }

        @Override
        public void onWritten() {
            if (!claim()) {
                return;
            }
            written(batch);
            if (((int) STATE.getAndBitwiseOr(this, COMPLETED) & RETURNED) != 0) {
                scheduleDrain();
            }
        }

        @Override
        public void onFailed(Throwable cause) {
            if (!claim()) {
                return;
            }
            STATE.getAndBitwiseOr(this, COMPLETED);
            log.debug("[{} user={}] write failed: {}", id, userId(), String.valueOf(cause));
            close(CloseReason.CLIENT_GONE);
        }

        private boolean claim() {
            return ((int) STATE.getAndBitwiseOr(this, CLAIMED) & CLAIMED) == 0;
        }

        private static VarHandle stateHandle() {
            try {
                return MethodHandles.lookup().findVarHandle(PendingWrite.class, "state",
                        int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }
}
