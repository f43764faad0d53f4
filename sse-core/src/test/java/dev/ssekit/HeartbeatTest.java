package dev.ssekit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Heartbeats from the one shared sweep, only on idle streams; failed writes close streams. */
class HeartbeatTest extends HubTestBase {

    private static final String HEARTBEAT = ": heartbeat\n";

    private final SseHub hub = start(manualHub().heartbeatInterval(Duration.ofSeconds(30)));

    private TestTransport openSyncClient(String userId) throws Exception {
        TestTransport client = transport(TestTransport.Mode.SYNC);
        open(hub, userId, client);
        delivery.runAll();
        return client;
    }

    @Test
    void writesAHeartbeatCommentToAStreamIdleForTheInterval() throws Exception {
        TestTransport client = openSyncClient("ada");

        clock.advance(Duration.ofSeconds(29));
        sweep();
        delivery.runAll();
        assertThat(client.text()).isEqualTo(RETRY_PREFIX);

        clock.advance(Duration.ofSeconds(1));
        sweep();
        delivery.runAll();
        assertThat(client.text()).isEqualTo(RETRY_PREFIX + HEARTBEAT);
        assertThat(client.events()).isEmpty();
        assertThat(hub.stats().heartbeats()).isEqualTo(1);
    }

    @Test
    void skipsStreamsThatReceivedAnEventWithinTheInterval() throws Exception {
        TestTransport busy = openSyncClient("ada");
        TestTransport idle = openSyncClient("bob");

        clock.advance(Duration.ofSeconds(20));
        hub.emitTo("ada", "t", "x");
        delivery.runAll();
        clock.advance(Duration.ofSeconds(10));
        sweep();
        delivery.runAll();

        assertThat(idle.text()).endsWith(HEARTBEAT);
        assertThat(busy.text()).doesNotContain(HEARTBEAT);
        assertThat(hub.stats().heartbeats()).isEqualTo(1);
    }

    @Test
    void addsNoHeartbeatWhileEventsAreQueuedOrAWriteIsPending() throws Exception {
        TestTransport queued = openSyncClient("ada");
        TestTransport pending = openSyncClient("bob");
        pending.mode(TestTransport.Mode.NEVER);

        hub.emit("t", "waiting");
        delivery.runAll();
        hub.emitTo("ada", "t", "queued, not yet drained");
        clock.advance(Duration.ofSeconds(45));
        sweep();
        delivery.runAll();

        assertThat(queued.text()).doesNotContain(HEARTBEAT);
        assertThat(hub.stats().heartbeats()).isZero();
    }

    @Test
    void neverWritesAHeartbeatBetweenTheLinesOfAnEvent() throws Exception {
        TestTransport client = openSyncClient("ada");
        for (int i = 0; i < 20; i++) {
            clock.advance(Duration.ofSeconds(30));
            hub.emit("t", "line one\nline two\nline three");
            sweep();
            sweep();
            delivery.runAll();
        }

        assertHeartbeatsOnlyBetweenFrames(client.text());
        assertThat(client.events()).hasSize(20)
                .allSatisfy(e -> assertThat(e.data()).isEqualTo("line one\nline two\nline three"));
    }

    @Test
    void aFailedWriteClosesTheStreamAsClientGone() throws Exception {
        TestTransport healthy = openSyncClient("ada");
        TestTransport failing = transport(TestTransport.Mode.SYNC);
        SseStream failingStream = open(hub, "bob", failing);
        delivery.runAll();
        failing.mode(TestTransport.Mode.FAIL);

        hub.emit("t", "x");
        delivery.runAll();

        assertThat(failingStream.isOpen()).isFalse();
        assertThat(closedWith(failingStream)).isEqualTo(CloseReason.CLIENT_GONE);
        assertThat(hub.stats().streamsClosedByReason()).containsEntry("CLIENT_GONE", 1L);
        assertThat(hub.stats().openStreams()).isEqualTo(1);
        assertThat(healthy.events()).hasSize(1);
    }

    @Test
    void aFailedHeartbeatClosesTheStreamAsClientGone() throws Exception {
        TestTransport client = transport(TestTransport.Mode.SYNC);
        SseStream stream = open(hub, "ada", client);
        delivery.runAll();
        client.mode(TestTransport.Mode.FAIL);

        clock.advance(Duration.ofSeconds(30));
        sweep();
        delivery.runAll();

        assertThat(closedWith(stream)).isEqualTo(CloseReason.CLIENT_GONE);
        assertThat(hub.stats().openStreams()).isZero();
    }

    /** A heartbeat may only start the stream or follow a blank line or another comment. */
    static void assertHeartbeatsOnlyBetweenFrames(String text) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith(":")) {
                assertThat(i == 0 || lines[i - 1].isEmpty() || lines[i - 1].startsWith(":"))
                        .as("heartbeat at line %d follows '%s'", i, i == 0 ? "" : lines[i - 1])
                        .isTrue();
            }
        }
    }

    @Test
    void followsAnIdleHeartbeatWithOneMoreSoThatAClientThatLeftIsNoticed() throws Exception {
        TestTransport staying = openSyncClient("ada");
        TestTransport leaving = openSyncClient("bob");
        leaving.mode(TestTransport.Mode.HALF_CLOSED);

        clock.advance(Duration.ofSeconds(30));
        sweep();
        delivery.runAll();
        sweep();
        delivery.runAll();
        sweep();
        delivery.runAll();

        assertThat(staying.text()).isEqualTo(RETRY_PREFIX + HEARTBEAT + HEARTBEAT);
        assertThat(leaving.closes()).isEqualTo(1);
        assertThat(hub.stats().streamsClosedByReason()).containsEntry("CLIENT_GONE", 1L);
        assertThat(hub.stats().openStreams()).isEqualTo(1);
    }
}
