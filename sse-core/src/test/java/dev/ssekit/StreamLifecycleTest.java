package dev.ssekit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Closing streams: listeners once, idempotent from many threads, expiry, explicit closes. */
class StreamLifecycleTest extends HubTestBase {

    @Test
    void closeFromManyThreadsAtOnceRunsEachListenerOnceAndClosesTheTransportOnce()
            throws Exception {
        SseHub hub = start(threadedHub());
        TestTransport client = transport(TestTransport.Mode.ASYNC);
        SseStream stream = open(hub, "ada", client);
        AtomicInteger listenerRuns = new AtomicInteger();
        List<CloseReason> reasons = new CopyOnWriteArrayList<>();
        stream.onClose(reason -> listenerRuns.incrementAndGet());
        stream.onClose(reasons::add);

        CountDownLatch go = new CountDownLatch(1);
        List<Thread> closers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            boolean clientSide = i % 2 == 0;
            Thread closer = new Thread(() -> {
                awaitQuietly(go);
                if (clientSide) {
                    stream.clientDisconnected();
                } else {
                    stream.close();
                }
            }, "test-closer-" + i);
            closer.start();
            closers.add(closer);
        }
        go.countDown();
        for (Thread closer : closers) {
            closer.join(TestTransport.WAIT.toMillis());
        }

        assertThat(stream.isOpen()).isFalse();
        assertThat(listenerRuns).hasValue(1);
        assertThat(reasons).hasSize(1);
        assertThat(client.closes()).isEqualTo(1);
        assertThat(hub.stats().openStreams()).isZero();
        assertThat(hub.stats().streamsClosedByReason().values().stream()
                .mapToLong(Long::longValue).sum()).isEqualTo(1);
    }

    @Test
    void aListenerAddedAfterCloseRunsAtOnceWithTheReason() throws Exception {
        SseHub hub = start(manualHub());
        SseStream stream = open(hub, "ada", transport(TestTransport.Mode.SYNC));
        stream.close();

        List<CloseReason> late = new ArrayList<>();
        stream.onClose(late::add);

        assertThat(late).containsExactly(CloseReason.CLOSED_BY_SERVER);
        assertThat(closedWith(stream)).isEqualTo(CloseReason.CLOSED_BY_SERVER);
    }

    @Test
    void aThrowingListenerDoesNotStopTheOthersOrTheClose() throws Exception {
        SseHub hub = start(manualHub());
        TestTransport client = transport(TestTransport.Mode.SYNC);
        SseStream stream = open(hub, "ada", client);
        List<CloseReason> after = new ArrayList<>();
        stream.onClose(reason -> {
            throw new IllegalStateException("listener bug (test)");
        });
        stream.onClose(after::add);

        stream.clientDisconnected();

        assertThat(after).containsExactly(CloseReason.CLIENT_GONE);
        assertThat(client.closes()).isEqualTo(1);
        assertThat(hub.stats().streamsClosedByReason()).containsEntry("CLIENT_GONE", 1L);
    }

    @Test
    void aClosedStreamReceivesNothingMore() throws Exception {
        SseHub hub = start(manualHub());
        TestTransport client = transport(TestTransport.Mode.SYNC);
        SseStream stream = open(hub, "ada", client);
        delivery.runAll();
        stream.close();

        Emission emission = hub.emit("t", "x");
        delivery.runAll();

        assertThat(emission.streamsReached()).isZero();
        assertThat(client.text()).isEqualTo(RETRY_PREFIX);
    }

    @Test
    void closesAStreamAsExpiredWhenItsCredentialsExpire() throws Exception {
        SseHub hub = start(manualHub());
        TestTransport expiring = transport(TestTransport.Mode.SYNC);
        SseStream stream = open(hub, StreamRequest.builder("ada")
                .expiresAt(START.plusSeconds(60)).build(), expiring);
        SseStream forever = open(hub, "bob", transport(TestTransport.Mode.SYNC));

        clock.advance(Duration.ofSeconds(59));
        sweep();
        assertThat(stream.isOpen()).isTrue();

        clock.advance(Duration.ofSeconds(1));
        sweep();
        assertThat(closedWith(stream)).isEqualTo(CloseReason.EXPIRED);
        assertThat(expiring.closes()).isEqualTo(1);
        assertThat(forever.isOpen()).isTrue();
        assertThat(hub.stats().streamsClosedByReason()).containsEntry("EXPIRED", 1L);
    }

    @Test
    void aTransportThatThrowsIsClosedAsClientGoneAndTheOthersAreServed() throws Exception {
        SseHub hub = start(manualHub());
        TestTransport buggy = transport(TestTransport.Mode.THROW);
        SseStream buggyStream = open(hub, "ada", buggy);
        TestTransport healthy = transport(TestTransport.Mode.SYNC);
        open(hub, "bob", healthy);

        hub.emit("t", "x");
        delivery.runAll();

        assertThat(closedWith(buggyStream)).isEqualTo(CloseReason.CLIENT_GONE);
        assertThat(buggy.closes()).isEqualTo(1);
        assertThat(healthy.events()).hasSize(1);
        assertThat(hub.stats().openStreams()).isEqualTo(1);
    }

    @Test
    void aCloseListenerMayEmitAndOpenAgain() throws Exception {
        SseHub hub = start(manualHub().maxStreamsPerUser(1));
        TestTransport watcher = transport(TestTransport.Mode.SYNC);
        open(hub, "bob", watcher);
        TestTransport first = transport(TestTransport.Mode.SYNC);
        TestTransport second = transport(TestTransport.Mode.SYNC);
        SseStream stream = open(hub, "ada", first);
        List<SseStream> reopened = new ArrayList<>();
        stream.onClose(reason -> {
            hub.emitTo("bob", "left", reason.name());
            reopened.add(openQuietly(hub, second));
        });

        stream.clientDisconnected();
        delivery.runAll();

        assertThat(watcher.events()).extracting(e -> e.data()).containsExactly("CLIENT_GONE");
        assertThat(reopened).hasSize(1);
        assertThat(reopened.get(0).isOpen()).isTrue();
        assertThat(second.text()).isEqualTo(RETRY_PREFIX);
    }

    private SseStream openQuietly(SseHub hub, TestTransport transport) {
        try {
            return open(hub, "ada", transport);
        } catch (StreamRejectedException e) {
            throw new AssertionError("the freed slot must be usable from a listener", e);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(TestTransport.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
