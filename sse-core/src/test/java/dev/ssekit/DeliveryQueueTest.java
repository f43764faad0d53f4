package dev.ssekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
                    queue.submit(runs::incrementAndGet);
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
    void neverRunsMoreWorkAtOnceThanItsParallelism() throws Exception {
        DeliveryQueue queue = new DeliveryQueue(pool, 3);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();

        for (int i = 0; i < 50; i++) {
            queue.submit(() -> {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                awaitQuietly(release);
                running.decrementAndGet();
                finished.incrementAndGet();
            });
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

        queue.submit(() -> {
            throw new IllegalStateException("a broken transport");
        });
        queue.submit(runs::incrementAndGet);

        await().atMost(BOUND).until(() -> runs.get() == 1);
    }

    @Test
    void reportsAnExecutorThatRefusesNewDrainers() {
        ExecutorService stopped = Executors.newSingleThreadExecutor();
        stopped.shutdown();
        DeliveryQueue queue = new DeliveryQueue(stopped, 2);

        assertThatThrownBy(() -> queue.submit(() -> { }))
                .isInstanceOf(RejectedExecutionException.class);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
