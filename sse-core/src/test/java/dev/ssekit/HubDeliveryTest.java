package dev.ssekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssekit.testkit.EventStreamParser.ParsedEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who receives what: broadcast, per-user emits, type filters, shared encoded bytes. */
class HubDeliveryTest extends HubTestBase {

    private final SseHub hub = start(manualHub());

    private TestTransport openClient(String userId, String filter) throws Exception {
        TestTransport client = transport(TestTransport.Mode.SYNC);
        open(hub, StreamRequest.builder(userId).filter(EventTypeFilter.parse(filter)).build(),
                client);
        return client;
    }

    private static List<String> data(TestTransport client) {
        return client.events().stream().map(ParsedEvent::data).toList();
    }

    @Test
    void broadcastReachesEveryStreamOfEveryUser() throws Exception {
        List<TestTransport> clients = List.of(openClient("ada", null), openClient("ada", null),
                openClient("bob", null), openClient("cy", null));

        Emission emission = hub.emit("news", "hello");
        delivery.runAll();

        assertThat(emission.streamsReached()).isEqualTo(4);
        for (TestTransport client : clients) {
            assertThat(client.events()).containsExactly(
                    new ParsedEvent("news", "hello", emission.eventId()));
        }
    }

    @Test
    void emitToReachesEveryStreamOfThatUserAndNoOtherUser() throws Exception {
        TestTransport adaPhone = openClient("ada", null);
        TestTransport adaLaptop = openClient("ada", null);
        TestTransport adaTablet = openClient("ada", "private.*");
        TestTransport bob = openClient("bob", null);
        TestTransport adam = openClient("adam", null);

        Emission emission = hub.emitTo("ada", "private.note", "for ada only");
        hub.emitTo("bob", "private.note", "for bob only");
        delivery.runAll();

        assertThat(emission.streamsReached()).isEqualTo(3);
        assertThat(data(adaPhone)).containsExactly("for ada only");
        assertThat(data(adaLaptop)).containsExactly("for ada only");
        assertThat(data(adaTablet)).containsExactly("for ada only");
        assertThat(data(bob)).containsExactly("for bob only");
        assertThat(adam.text()).isEqualTo(RETRY_PREFIX);
    }

    @Test
    void emitToAUserWithoutStreamsReachesNobody() throws Exception {
        TestTransport bob = openClient("bob", null);

        Emission emission = hub.emitTo("ada", SseEvent.of("t", "x"));
        delivery.runAll();

        assertThat(emission.streamsReached()).isZero();
        assertThat(bob.text()).isEqualTo(RETRY_PREFIX);
    }

    @Test
    void eachStreamReceivesOnlyTheTypesItsFilterSelects() throws Exception {
        TestTransport exact = openClient("ada", "record.created,message");
        TestTransport prefix = openClient("ada", "record.*");
        TestTransport everything = openClient("bob", null);

        hub.emit("record.created", "c");
        hub.emit("record.deleted", "d");
        hub.emit("audit", "a");
        hub.emit(null, "m");
        hub.emitTo("ada", "record.updated", "u");
        delivery.runAll();

        assertThat(data(exact)).containsExactly("c", "m");
        assertThat(data(prefix)).containsExactly("c", "d", "u");
        assertThat(data(everything)).containsExactly("c", "d", "a", "m");
        assertThat(everything.events().get(3).type()).isEqualTo("message");
    }

    @Test
    void customEventTypesAreFirstClass() throws Exception {
        TestTransport client = openClient("ada", "invoice.paid.v2");

        hub.emit("invoice.paid.v2", "{\"amount\":3}");
        delivery.runAll();

        assertThat(client.events()).extracting(ParsedEvent::type)
                .containsExactly("invoice.paid.v2");
    }

    @Test
    void encodesEachEventOnceAndHandsTheSameBytesToEveryRecipient() throws Exception {
        TestTransport first = openClient("ada", null);
        TestTransport second = openClient("bob", null);
        delivery.runAll();

        hub.emit("t", "shared");
        delivery.runAll();

        byte[] sentToFirst = first.writes().get(1);
        assertThat(second.writes().get(1)).isSameAs(sentToFirst);
    }

    @Test
    void assignsDistinctIdsAndKeepsIdsTheCallerSet() throws Exception {
        TestTransport client = openClient("ada", null);

        Emission one = hub.emit("t", "1");
        Emission two = hub.emit("t", "2");
        Emission own = hub.emit(SseEvent.builder().id("order-42").type("t").data("3").build());
        delivery.runAll();

        assertThat(one.eventId()).isNotEqualTo(two.eventId());
        assertThat(own.eventId()).isEqualTo("order-42");
        assertThat(client.events()).extracting(ParsedEvent::lastEventId)
                .containsExactly(one.eventId(), two.eventId(), "order-42");
    }

    @Test
    void rejectsNullArguments() {
        assertThatThrownBy(() -> hub.emitTo(null, "t", "x"))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("userId");
        assertThatThrownBy(() -> hub.emit(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("event");
        assertThatThrownBy(() -> hub.open(null, transport(TestTransport.Mode.SYNC)))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("request");
    }
}
