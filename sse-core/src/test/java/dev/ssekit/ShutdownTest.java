package dev.ssekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.ssekit.testkit.EventStreamParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Closing the hub: retry with jitter, stalled streams closed by the deadline, threads gone. */
class ShutdownTest extends HubTestBase {

    /** Long enough for healthy clients to drain even on a loaded machine. */
    private static final Duration GRACE = Duration.ofSeconds(1);
    /** Room for the bounded stop of the hub's own threads and a loaded machine. */
    private static final Duration SLACK = Duration.ofSeconds(2);

    private static Set<Thread> hubThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("ssekit-") && t.isAlive())
                .collect(Collectors.toSet());
    }

    @Test
    void closeWithAStalledStreamFinishesByItsDeadlineAndTellsHealthyClientsWhenToReturn()
            throws Exception {
        Set<Thread> before = hubThreads();
        SseHub hub = start(SseHub.builder().clock(clock).deliveryThreads(2)
                .reconnectDelay(Duration.ofSeconds(3))
                .shutdownRetryJitter(Duration.ofSeconds(2)));
        List<TestTransport> healthy = List.of(transport(TestTransport.Mode.SYNC),
                transport(TestTransport.Mode.ASYNC), transport(TestTransport.Mode.SYNC));
        List<SseStream> streams = new ArrayList<>();
        for (int i = 0; i < healthy.size(); i++) {
            streams.add(open(hub, "user-" + i, healthy.get(i)));
        }
        TestTransport stalled = transport(TestTransport.Mode.NEVER);
        SseStream stalledStream = open(hub, "stalled", stalled);
        hub.emit("t", "before shutdown");
        for (TestTransport client : healthy) {
            client.awaitEvents(1);
        }
        Set<Thread> created = hubThreads();
        created.removeAll(before);
        assertThat(created).as("threads the hub created").isNotEmpty();

        long started = System.nanoTime();
        hub.close(GRACE);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).isLessThan(GRACE.plus(SLACK));
        assertThat(closedWith(stalledStream)).isEqualTo(CloseReason.SHUTDOWN);
        assertThat(stalled.closes()).isEqualTo(1);
        for (int i = 0; i < healthy.size(); i++) {
            assertEndsWithJitteredRetry(healthy.get(i));
            assertThat(closedWith(streams.get(i))).isEqualTo(CloseReason.SHUTDOWN);
            assertThat(healthy.get(i).closes()).isEqualTo(1);
        }
        assertThat(hub.isOpen()).isFalse();
        assertThat(hub.stats().openStreams()).isZero();
        assertThat(hub.stats().streamsClosedByReason()).containsEntry("SHUTDOWN", 4L);
        await().atMost(TestTransport.WAIT)
                .until(() -> created.stream().noneMatch(Thread::isAlive));
    }

    private static void assertEndsWithJitteredRetry(TestTransport client) {
        String text = client.text();
        assertThat(text).matches("(?s).*\nretry: \\d+\n\n");
        EventStreamParser parser = new EventStreamParser();
        parser.feed(client.bytes());
        assertThat(parser.retryMillis()).isBetween(3000L, 5000L);
        assertThat(client.events()).hasSize(1);
    }

    @Test
    void closeWithAThreadBlockedInWriteStillReturnsAndStopsTheHubThreads() throws Exception {
        Set<Thread> before = hubThreads();
        SseHub hub = start(threadedHub());
        TestTransport stuck = transport(TestTransport.Mode.BLOCK_IGNORING_CLOSE);
        open(hub, "stuck", stuck);
        assertThat(stuck.awaitBlockedInWrite()).isTrue();
        Set<Thread> created = hubThreads();
        created.removeAll(before);

        long started = System.nanoTime();
        hub.close(GRACE);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).isLessThan(GRACE.plus(Duration.ofSeconds(2)).plus(SLACK));
        assertThat(stuck.closes()).isEqualTo(1);
        await().atMost(TestTransport.WAIT)
                .until(() -> created.stream().noneMatch(Thread::isAlive));
    }

    @Test
    void afterCloseOpensAreRefusedAndEmitsReachNoStream() throws Exception {
        SseHub hub = start(manualHub());
        TestTransport client = transport(TestTransport.Mode.SYNC);
        open(hub, "ada", client);
        delivery.runAll();
        hub.close(Duration.ZERO);
        delivery.runAll();

        StreamRejectedException refused = catchThrowableOfType(StreamRejectedException.class,
                () -> hub.open(StreamRequest.builder("bob").build(),
                        transport(TestTransport.Mode.SYNC)));
        Emission emission = hub.emit("t", "too late");
        Emission targeted = hub.emitTo("ada", "t", "too late");
        delivery.runAll();

        assertThat(refused.reason()).isEqualTo(StreamRejectedException.Reason.SHUTTING_DOWN);
        assertThat(emission.streamsReached()).isZero();
        assertThat(targeted.streamsReached()).isZero();
        assertThat(hub.stats().eventsEmitted()).isZero();
        assertThat(client.events()).isEmpty();
        assertThat(scheduler.activeTasks()).isZero();
    }

    @Test
    void closeIsIdempotentAndSafeFromManyThreads() throws Exception {
        SseHub hub = start(threadedHub());
        open(hub, "ada", transport(TestTransport.Mode.SYNC));
        List<Thread> closers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Thread closer = new Thread(() -> hub.close(GRACE), "test-hub-closer-" + i);
            closer.start();
            closers.add(closer);
        }
        for (Thread closer : closers) {
            closer.join(TestTransport.WAIT.toMillis());
            assertThat(closer.isAlive()).isFalse();
        }
        hub.close();

        assertThat(hub.stats().streamsClosedByReason()).isEqualTo(Map.of("SHUTDOWN", 1L));
    }
}
