package dev.ssekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeliveryQueueTest {

    private static final Duration BOUND = Duration.ofSeconds(5);

    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void runsEveryPieceOfWorkFromManySubmittersExactlyOnce() throws Exception {
        DeliveryQueue queue = new DeliveryQueue(pool, 2);
        AtomicInteger runs = new AtomicInteger();
        int submitters = 4;
        int each = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        Thread[] threads = new Thread[submitters];
        for (int t = 0; t < submitters; t++) {
            threads[t] = new Thread(() -> {
                awaitQuietly(start);
                for (int i = 0; i < each; i++) {
                    queue.submit(work(runs::incrementAndGet), null);
                }
            });
            threads[t].start();
        }

        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }

        await().atMost(BOUND).until(() -> runs.get() == submitters * each);
        assertThat(runs.get()).isEqualTo(submitters * each);
    }

    @Test
    void handsTheFrameOfEachTurnToItsWork() {
        DeliveryQueue queue = new DeliveryQueue(pool, 2);
        Frame frame = Frame.control(new byte[] {':', '\n'});
        AtomicReference<Frame> delivered = new AtomicReference<>();
        AtomicInteger refusals = new AtomicInteger();

        queue.submit(new DeliveryQueue.Delivery() {
            @Override
            public void deliver(Frame first) {
                delivered.set(first);
            }

            @Override
            public void refused() {
                refusals.incrementAndGet();
            }
        }, frame);

        await().atMost(BOUND).until(() -> delivered.get() != null);
        assertThat(delivered.get()).isSameAs(frame);
        assertThat(refusals.get()).isZero();
    }

    @Test
    void neverRunsMoreWorkAtOnceThanItsParallelism() throws Exception {
        DeliveryQueue queue = new DeliveryQueue(pool, 3);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();

        for (int i = 0; i < 50; i++) {
            queue.submit(work(() -> {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                awaitQuietly(release);
                running.decrementAndGet();
                finished.incrementAndGet();
            }), null);
        }
        await().atMost(BOUND).until(() -> running.get() == 3);
        release.countDown();

        await().atMost(BOUND).until(() -> finished.get() == 50);
        assertThat(mostAtOnce.get()).isEqualTo(3);
    }

    @Test
    void keepsServingAfterWorkThatThrows() {
        DeliveryQueue queue = new DeliveryQueue(pool, 1);
        AtomicInteger runs = new AtomicInteger();

        queue.submit(work(() -> {
            throw new IllegalStateException("a broken transport");
        }), null);
        queue.submit(work(runs::incrementAndGet), null);

        await().atMost(BOUND).until(() -> runs.get() == 1);
    }

    @Test
    void keepsServingAfterWorkThatThrowsAnError() {
        DeliveryQueue queue = new DeliveryQueue(pool, 1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();

        queue.submit(work(() -> {
            awaitQuietly(release);
            throw new AssertionError("a transport that fails hard");
        }), null);
        queue.submit(work(runs::incrementAndGet), null);
        release.countDown();

        // The error ends its pool thread, as any uncaught error does; that is not the point.
        await().dontCatchUncaughtExceptions().atMost(BOUND).until(() -> runs.get() == 1);
    }

    @Test
    void doesNotCarryAnInterruptFromOneStreamToTheNext() {
        DeliveryQueue queue = new DeliveryQueue(pool, 1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Boolean> nextSawInterrupt = new AtomicReference<>();

        queue.submit(work(() -> {
            awaitQuietly(release);
            Thread.currentThread().interrupt();
        }), null);
        queue.submit(work(() -> nextSawInterrupt.set(Thread.currentThread().isInterrupted())),
                null);
        release.countDown();

        await().atMost(BOUND).until(() -> nextSawInterrupt.get() != null);
        assertThat(nextSawInterrupt.get()).isFalse();
    }

    @Test
    void tellsEveryWaitingStreamWhenTheExecutorRefusesAndNoDrainerIsLeft() {
        ExecutorService stopped = Executors.newSingleThreadExecutor();
        stopped.shutdown();
        DeliveryQueue queue = new DeliveryQueue(stopped, 2);
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger refusals = new AtomicInteger();

        queue.submit(work(runs::incrementAndGet, refusals::incrementAndGet), null);
        queue.submit(work(runs::incrementAndGet, refusals::incrementAndGet),
                Frame.control(new byte[] {':', '\n'}));

        assertThat(refusals.get()).isEqualTo(2);
        assertThat(runs.get()).isZero();
    }

    @Test
    void leavesWorkToTheRunningDrainerWhenOnlyAnExtraOneIsRefused() {
        ThreadPoolExecutor single = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                new SynchronousQueue<>());
        try {
            DeliveryQueue queue = new DeliveryQueue(single, 2);
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger runs = new AtomicInteger();
            AtomicInteger refusals = new AtomicInteger();

            queue.submit(work(() -> awaitQuietly(release), refusals::incrementAndGet), null);
            await().atMost(BOUND).until(() -> single.getActiveCount() == 1);
            // The pool's one thread is busy: this second drainer is refused.
            queue.submit(work(runs::incrementAndGet, refusals::incrementAndGet), null);
            release.countDown();

            await().atMost(BOUND).until(() -> runs.get() == 1);
            assertThat(refusals.get()).isZero();
        } finally {
            single.shutdownNow();
        }
    }

    private static DeliveryQueue.Delivery work(Runnable body) {
        return work(body, () -> {
            throw new AssertionError("refused unexpectedly");
        });
    }

    private static DeliveryQueue.Delivery work(Runnable body, Runnable onRefused) {
        return new DeliveryQueue.Delivery() {
            @Override
            public void deliver(Frame first) {
                body.run();
            }

            @Override
            public void refused() {
                onRefused.run();
            }
        };
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
