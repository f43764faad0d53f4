package dev.ssekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ssekit.StreamRejectedException.Reason;
import org.junit.jupiter.api.Test;

/** The global and per-user stream limits give distinct outcomes and are counted. */
class LimitsTest extends HubTestBase {

    private final SseHub hub = start(manualHub().maxStreams(3).maxStreamsPerUser(2));

    private Reason rejection(String userId) {
        TestTransport refused = transport(TestTransport.Mode.SYNC);
        StreamRejectedException e = catchThrowableOfType(StreamRejectedException.class,
                () -> hub.open(StreamRequest.builder(userId).build(), refused));
        assertThat(e).as("open for " + userId + " must be refused").isNotNull();
        assertThat(refused.closes()).as("a refused transport is the adapter's to end").isZero();
        return e.reason();
    }

    @Test
    void refusesAUsersStreamBeyondThePerUserMaximum() throws Exception {
        open(hub, "ada", transport(TestTransport.Mode.SYNC));
        open(hub, "ada", transport(TestTransport.Mode.SYNC));

        assertThat(rejection("ada")).isEqualTo(Reason.USER_LIMIT);
        open(hub, "bob", transport(TestTransport.Mode.SYNC));
        assertThat(hub.stats().openStreams()).isEqualTo(3);
    }

    @Test
    void refusesAnyStreamBeyondTheGlobalMaximum() throws Exception {
        open(hub, "ada", transport(TestTransport.Mode.SYNC));
        open(hub, "bob", transport(TestTransport.Mode.SYNC));
        open(hub, "cy", transport(TestTransport.Mode.SYNC));

        assertThat(rejection("dee")).isEqualTo(Reason.GLOBAL_LIMIT);
        assertThat(hub.stats().openStreams()).isEqualTo(3);
    }

    @Test
    void countsRefusalsAsLimitAndAcceptsAgainOnceAStreamClosed() throws Exception {
        SseStream first = open(hub, "ada", transport(TestTransport.Mode.SYNC));
        open(hub, "ada", transport(TestTransport.Mode.SYNC));
        open(hub, "bob", transport(TestTransport.Mode.SYNC));
        rejection("ada");
        rejection("cy");

        first.close();
        open(hub, "ada", transport(TestTransport.Mode.SYNC));

        HubStats stats = hub.stats();
        assertThat(stats.streamsClosedByReason()).containsEntry("LIMIT", 2L)
                .containsEntry("CLOSED_BY_SERVER", 1L);
        assertThat(stats.streamsOpened()).isEqualTo(4);
        assertThat(stats.openStreams()).isEqualTo(3);
    }

    @Test
    void refusesStreamsOnceTheHubIsShuttingDown() {
        hub.close();

        assertThat(rejection("ada")).isEqualTo(Reason.SHUTTING_DOWN);
        assertThat(hub.stats().streamsClosedByReason()).doesNotContainKey("LIMIT");
    }

    @Test
    void probesAUsersStreamsAtTheLimitSoThatAConnectionLeftFreesItsPlace() throws Exception {
        TestTransport left = transport(TestTransport.Mode.SYNC);
        SseStream leftStream = open(hub, "ada", left);
        TestTransport stays = transport(TestTransport.Mode.SYNC);
        SseStream stayingStream = open(hub, "ada", stays);
        delivery.runAll();
        left.mode(TestTransport.Mode.HALF_CLOSED);

        assertThat(rejection("ada")).isEqualTo(Reason.USER_LIMIT);
        delivery.runAll();
        sweep();
        delivery.runAll();

        assertThat(closedWith(leftStream)).isEqualTo(CloseReason.CLIENT_GONE);
        assertThat(stayingStream.isOpen()).isTrue();
        assertThat(stays.text()).isEqualTo(RETRY_PREFIX + ": heartbeat\n: heartbeat\n");
        open(hub, "ada", transport(TestTransport.Mode.SYNC));
    }

    @Test
    void probesEveryStreamAtTheGlobalLimit() throws Exception {
        SseStream leftStream = open(hub, "ada", transport(TestTransport.Mode.HALF_CLOSED));
        open(hub, "bob", transport(TestTransport.Mode.SYNC));
        open(hub, "cy", transport(TestTransport.Mode.SYNC));

        assertThat(rejection("dee")).isEqualTo(Reason.GLOBAL_LIMIT);
        delivery.runAll();
        sweep();
        delivery.runAll();

        assertThat(closedWith(leftStream)).isEqualTo(CloseReason.CLIENT_GONE);
        open(hub, "dee", transport(TestTransport.Mode.SYNC));
    }

    @Test
    void refusesAUserIdThatCouldForgeLogLines() {
        assertThatThrownBy(() -> StreamRequest.builder("ada\nINFO forged"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("userId");
    }
}
