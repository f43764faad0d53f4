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
 * may. A drainer takes streams until the queue is empty, then leaves.
 */
final class DeliveryQueue {

    private static final Logger log = LoggerFactory.getLogger(DeliveryQueue.class);

    private final Executor executor;
    private final int parallelism;
    private final Queue<Runnable> ready = new ConcurrentLinkedQueue<>();
    private final AtomicInteger drainers = new AtomicInteger();
    private final Runnable drainer = this::drain;

    DeliveryQueue(Executor executor, int parallelism) {
        this.executor = executor;
        this.parallelism = parallelism;
    }

    /**
     * Queues the delivery work of one stream.
     *
     * @throws RejectedExecutionException when the executor refuses a new drainer (it is
     *     shutting down); the work may then never run
     */
    void submit(Runnable work) {
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
            drainers.decrementAndGet();
            throw e;
        }
    }

    private void drain() {
        try {
            for (Runnable work = ready.poll(); work != null; work = ready.poll()) {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    log.warn("delivery failed", e);
                }
            }
        } finally {
            drainers.decrementAndGet();
        }

        // Work queued after the last poll, while every drainer was still counted, started no
        // drainer of its own.
        if (!ready.isEmpty()) {
            try {
                startDrainer();
            } catch (RejectedExecutionException e) {
                log.debug("delivery executor stopped with {} streams waiting", ready.size());
            }
        }
    }
}
