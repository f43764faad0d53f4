package dev.ssekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ssekit.testkit.EventStreamParser.ParsedEvent;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A client that stops reading is closed as slow, and nobody else waits for it. */
class SlowClientTest extends HubTestBase {

    private static final int EVENTS = 1000;

    private static List<String> expected() {
        return IntStream.range(0, EVENTS).mapToObj(Integer::toString).toList();
    }

    private List<TestTransport> openHealthy(SseHub hub) throws Exception {
        List<TestTransport> healthy = List.of(transport(TestTransport.Mode.SYNC),
                transport(TestTransport.Mode.ASYNC), transport(TestTransport.Mode.SYNC),
                transport(TestTransport.Mode.ASYNC));
        for (int i = 0; i < healthy.size(); i++) {
            open(hub, "user-" + i, healthy.get(i));
        }
        return healthy;
    }

    /**
     * Emits the events, letting the healthy clients catch up after every burst of 50 so that
     * their own bounded queues never fill; the stuck client is never waited for.
     */
    private static Duration emitPaced(SseHub hub, List<TestTransport> healthy) {
        long emitting = 0;
        for (int i = 0; i < EVENTS; i++) {
            long started = System.nanoTime();
            hub.emit("tick", Integer.toString(i));
            emitting += System.nanoTime() - started;
            if ((i + 1) % 50 == 0) {
                for (TestTransport client : healthy) {
                    client.awaitEvents(i + 1);
                }
            }
        }
        return Duration.ofNanos(emitting);
    }

    private static void assertAllEventsArrived(List<TestTransport> healthy) {
        for (TestTransport client : healthy) {
            assertThat(client.awaitEvents(EVENTS)).extracting(ParsedEvent::data)
                    .containsExactlyElementsOf(expected());
        }
    }

    @Test
    void aTransportBlockedInWriteIsDroppedOnQueueOverflowWithoutDelayingOthers()
            throws Exception {
        SseHub hub = start(threadedHub().maxQueuedEvents(100));
        TestTransport stuck = transport(TestTransport.Mode.BLOCK);
        SseStream stuckStream = open(hub, "stuck", stuck);
        assertThat(stuck.awaitBlockedInWrite()).isTrue();
        List<TestTransport> healthy = openHealthy(hub);

        Duration emitting = emitPaced(hub, healthy);

        assertAllEventsArrived(healthy);
        assertThat(emitting).as("1,000 emits never wait for the stuck client")
                .isLessThan(Duration.ofSeconds(5));
        assertThat(closedWith(stuckStream)).isEqualTo(CloseReason.SLOW);
        assertThat(stuck.closes()).as("still inside its blocked write").isZero();
        clock.advance(Duration.ofSeconds(1));
        sweep();
        stuck.awaitClosed();
        assertThat(hub.stats().streamsClosedByReason()).containsEntry("SLOW", 1L);
        assertThat(hub.stats().openStreams()).isEqualTo(4);
    }

    @Test
    void aWritePendingPastTheWriteTimeoutIsDroppedBySweep() throws Exception {
        SseHub hub = start(threadedHub().writeTimeout(Duration.ofSeconds(60))
                .maxQueuedEvents(2 * EVENTS));
        TestTransport stuck = transport(TestTransport.Mode.BLOCK);
        SseStream stuckStream = open(hub, "stuck", stuck);
        assertThat(stuck.awaitBlockedInWrite()).isTrue();
        List<TestTransport> healthy = openHealthy(hub);

        for (int i = 0; i < EVENTS; i++) {
            hub.emit("tick", Integer.toString(i));
        }
        assertAllEventsArrived(healthy);
        clock.advance(Duration.ofSeconds(59));
        sweep();
        assertThat(stuckStream.isOpen()).isTrue();
        clock.advance(Duration.ofSeconds(1));
        sweep();

        assertThat(closedWith(stuckStream)).isEqualTo(CloseReason.SLOW);
        assertThat(stuck.closes()).as("still inside its blocked write").isZero();
        clock.advance(Duration.ofSeconds(1));
        sweep();
        stuck.awaitClosed();
        assertThat(hub.stats().openStreams()).isEqualTo(4);
    }

    @Test
    void aWriteThatNeverCompletesIsDroppedBySweep() throws Exception {
        SseHub hub = start(threadedHub().writeTimeout(Duration.ofSeconds(10))
                .maxQueuedEvents(2 * EVENTS));
        TestTransport silent = transport(TestTransport.Mode.NEVER);
        SseStream silentStream = open(hub, "silent", silent);
        List<TestTransport> healthy = openHealthy(hub);

        for (int i = 0; i < EVENTS; i++) {
            hub.emit("tick", Integer.toString(i));
        }
        assertAllEventsArrived(healthy);
        await().atMost(TestTransport.WAIT).untilAsserted(() -> {
            clock.advance(Duration.ofSeconds(10));
            sweep();
            assertThat(silentStream.isOpen()).isFalse();
        });

        assertThat(closedWith(silentStream)).isEqualTo(CloseReason.SLOW);
    }
}
