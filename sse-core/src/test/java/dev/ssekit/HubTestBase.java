package dev.ssekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ssekit.testkit.TestClock;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;

/**
 * Starts hubs with an injected clock and scheduler and checks after every scenario that the
 * registry is empty once the hub closed, that every transport saw the write contract kept, and
 * that no closed stream or transport stays reachable.
 */
abstract class HubTestBase {

    static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    static final String RETRY_PREFIX = "retry: 3000\n\n";

    final TestClock clock = TestClock.fixedAt(START);
    final ManualScheduler scheduler = new ManualScheduler();
    final ManualExecutor delivery = new ManualExecutor();

    private final List<SseHub> hubs = new ArrayList<>();
    private final List<WeakReference<Object>> released = new CopyOnWriteArrayList<>();
    private final List<WeakReference<TestTransport>> transports = new CopyOnWriteArrayList<>();
    private final Map<String, CloseReason> closedWith = new ConcurrentHashMap<>();

    /** A builder with the injected clock and scheduler, and a manual delivery executor. */
    SseHubBuilder manualHub() {
        return threadedHub().deliveryExecutor(delivery);
    }

    /** A builder with the injected clock and scheduler, and the hub's own delivery threads. */
    SseHubBuilder threadedHub() {
        return SseHub.builder().clock(clock).scheduler(scheduler).deliveryThreads(2);
    }

    SseHub start(SseHubBuilder builder) {
        SseHub hub = builder.build();
        hubs.add(hub);
        return hub;
    }

    TestTransport transport(TestTransport.Mode mode) {
        TestTransport transport = new TestTransport(mode);
        released.add(new WeakReference<>(transport));
        return transport;
    }

    SseStream open(SseHub hub, StreamRequest request, TestTransport transport)
            throws StreamRejectedException {
        SseStream stream = hub.open(request, transport);
        transports.add(new WeakReference<>(transport));
        released.add(new WeakReference<>(stream));
        stream.onClose(reason -> closedWith.put(stream.id(), reason));
        return stream;
    }

    SseStream open(SseHub hub, String userId, TestTransport transport)
            throws StreamRejectedException {
        return open(hub, StreamRequest.builder(userId).build(), transport);
    }

    /** The reason a stream closed with, as its close listener saw it; null while open. */
    CloseReason closedWith(SseStream stream) {
        return closedWith.get(stream.id());
    }

    void sweep() {
        scheduler.runPeriodicTasks();
    }

    @AfterEach
    void registryEmptiesAndClosedStreamsAreReleased() {
        closeHubsAndCheckRegistriesEmpty();
        checkTransportContracts();

        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                .atMost(Duration.ofSeconds(10)).until(() -> {
                    System.gc();
                    return released.stream().allMatch(ref -> ref.get() == null);
                });
    }

    private void closeHubsAndCheckRegistriesEmpty() {
        for (SseHub hub : hubs) {
            hub.close(Duration.ZERO);
            delivery.runAll();
            assertThat(hub.stats().openStreams()).as("open streams after close").isZero();
            assertThat(hub.stats().streamsPerUser()).isEmpty();
        }
        hubs.clear();
        assertThat(scheduler.activeTasks()).as("sweeps still scheduled").isZero();
    }

    private void checkTransportContracts() {
        for (WeakReference<TestTransport> ref : transports) {
            TestTransport transport = ref.get();
            if (transport != null) {
                assertThat(transport.contractBreaches()).as("transport contract breaches")
                        .isZero();
                assertThat(transport.closes()).as("transport closes").isEqualTo(1);
            }
        }
    }
}
