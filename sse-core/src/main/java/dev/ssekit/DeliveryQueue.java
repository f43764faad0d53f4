package dev.ssekit;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams waiting for a delivery thread, served in arrival order by at most
 * {@code parallelism} drainer tasks on the delivery executor.
 *
 * <p>A broadcast makes thousands of streams ready at once. Handing each to the executor as a
 * task of its own costs a lock and often a thread wake-up per stream; here a stream costs one
 * lock-free enqueue, and the executor sees a new task only while fewer drainers run than it
 * may. A drainer takes streams until the queue is empty, then leaves. When the executor
 * refuses a drainer and none is left running (it is shutting down), every waiting stream is
 * told, so that none waits for a thread that will never come.
 *
 * <p>A stream that was idle hands over the frame that woke it with its turn: the frame then
 * rides in a short-lived queue entry instead of being stored into the stream's long-lived
 * queue, a store that a generational collector (G1) has to track for every stream of every
 * broadcast.
 */
final class DeliveryQueue {

    /** The delivery work of one stream. */
    interface Delivery {

        /**
         * Writes what the stream has queued; runs on a delivery thread.
         *
         * @param first the frame handed over with the turn, written before the queued ones;
         *     or {@code null}
         */
        void deliver(Frame first);

        /** The executor refused to run it; the stream cannot be served. */
        void refused();
    }

    /** One stream's turn, with the frame that woke it, if any. */
    private record Turn(Delivery work, Frame first) {
    }

    private static final Logger log = LoggerFactory.getLogger(DeliveryQueue.class);

    private final Executor executor;
    private final int parallelism;
    private final Queue<Turn> ready = new ConcurrentLinkedQueue<>();
    private final AtomicInteger drainers = new AtomicInteger();
    private final Runnable drainer = this::drain;

    DeliveryQueue(Executor executor, int parallelism) {
        this.executor = executor;
        this.parallelism = parallelism;
    }

    /**
     * Queues the delivery work of one stream, with the frame to write first or {@code null}.
     * Never blocks and never runs it here.
     */
    void submit(Delivery work, Frame first) {
        ready.add(new Turn(work, first));
        startDrainer();
    }

    /** Starts one more drainer unless enough run already. */
    private void startDrainer() {
        int running;
        do {
            running = drainers.get();
            if (running >= parallelism) {
                return;
            }
        } while (!drainers.compareAndSet(running, running + 1));

        try {
            executor.execute(drainer);
        } catch (RejectedExecutionException e) {
            if (drainers.decrementAndGet() == 0) {
                refuseWaiting(e);
            }
        }
    }

    private void drain() {
        try {
            for (Turn turn = ready.poll(); turn != null; turn = ready.poll()) {
                try {
                    turn.work().deliver(turn.first());
                } catch (RuntimeException e) {
                    log.warn("delivery failed", e);
                }
                // One drainer serves many streams: an interrupt left by one is not the next's.
                Thread.interrupted();
            }
        } finally {
            drainers.decrementAndGet();
            // Work queued after the last poll, while every drainer was still counted, started
            // no drainer of its own.
            if (!ready.isEmpty()) {
                startDrainer();
            }
        }
    }

    private void refuseWaiting(RejectedExecutionException cause) {
        int refused = 0;
        for (Turn turn = ready.poll(); turn != null; turn = ready.poll()) {
            turn.work().refused();
            refused++;
        }
        if (refused > 0) {
            log.warn("delivery executor refused work ({}); {} streams cannot be served",
                    cause.toString(), refused);
        }
    }
}
