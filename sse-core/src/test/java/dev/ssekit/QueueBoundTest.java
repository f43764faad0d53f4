package dev.ssekit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssekit.testkit.EventStreamParser.ParsedEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What counts against {@code maxQueuedEvents}: every frame waiting for a stream, whether it
 * waits in the stream's queue or was handed over with its delivery turn. The frames a stream
 * starts with (its retry line, a replay) count too, but are never refused.
 */
class QueueBoundTest extends HubTestBase {

    @Test
    void closesAStreamAsSlowWhenOneMoreEventWaitsThanTheBound() throws Exception {
        SseHub hub = start(manualHub().maxQueuedEvents(2));
        TestTransport client = transport(TestTransport.Mode.SYNC);
        SseStream stream = open(hub, "alice", client);
        delivery.runAll();

        Emission first = hub.emit("n", "1");
        Emission second = hub.emit("n", "2");
        Emission third = hub.emit("n", "3");

        assertThat(first.streamsReached()).isEqualTo(1);
        assertThat(second.streamsReached()).isEqualTo(1);
        assertThat(third.streamsReached()).isZero();
        assertThat(closedWith(stream)).isEqualTo(CloseReason.SLOW);
        delivery.runAll();
        assertThat(client.text()).isEqualTo(RETRY_PREFIX);
    }

    @Test
    void replaysToAResumingStreamWhateverTheBound() throws Exception {
        SseHub hub = start(manualHub().maxQueuedEvents(1));
        Emission first = hub.emit("n", "1");
        Emission second = hub.emit("n", "2");
        Emission third = hub.emit("n", "3");
        TestTransport client = transport(TestTransport.Mode.SYNC);

        open(hub, StreamRequest.builder("alice").lastEventId(first.eventId()).build(), client);
        delivery.runAll();

        assertThat(client.events()).containsExactly(
                new ParsedEvent("n", "2", second.eventId()),
                new ParsedEvent("n", "3", third.eventId()));
    }

    @Test
    void streamsWritingTheSameBacklogShareItsBytes() throws Exception {
        SseHub hub = start(manualHub());
        TestTransport one = transport(TestTransport.Mode.SYNC);
        TestTransport two = transport(TestTransport.Mode.SYNC);
        open(hub, "alice", one);
        open(hub, "bob", two);
        delivery.runAll();

        hub.emit("n", "1");
        hub.emit("n", "2");
        delivery.runAll();

        List<byte[]> first = one.writes();
        List<byte[]> second = two.writes();
        assertThat(first).hasSize(2);
        assertThat(second).hasSize(2);
        assertThat(second.get(1)).isSameAs(first.get(1));
        assertThat(one.events()).extracting(ParsedEvent::data).containsExactly("1", "2");
        assertThat(two.events()).extracting(ParsedEvent::data).containsExactly("1", "2");
    }
}
