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
 */
final class DeliveryQueue {

    /** The delivery work of one stream. */
    interface Delivery {

        /** Writes what the stream has queued; runs on a delivery thread. */
        void deliver();

        /** The executor refused to run it; the stream cannot be served. */
        void refused();
    }

    private static final Logger log = LoggerFactory.getLogger(DeliveryQueue.class);

    private final Executor executor;
    private final int parallelism;
    private final Queue<Delivery> ready = new ConcurrentLinkedQueue<>();
    private final AtomicInteger drainers = new AtomicInteger();
    private final Runnable drainer = this::drain;

    DeliveryQueue(Executor executor, int parallelism) {
        this.executor = executor;
        this.parallelism = parallelism;
    }

    /** Queues the delivery work of one stream. Never blocks and never runs it here. */
    void submit(Delivery work) {
        ready.add(work);
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
            for (Delivery work = ready.poll(); work != null; work = ready.poll()) {
                try {
                    work.deliver();
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
        for (Delivery work = ready.poll(); work != null; work = ready.poll()) {
            work.refused();
            refused++;
        }
        if (refused > 0) {
            log.warn("delivery executor refused work ({}); {} streams cannot be served",
                    cause.toString(), refused);
        }
    }
}
