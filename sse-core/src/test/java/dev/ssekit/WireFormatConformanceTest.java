package dev.ssekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssekit.testkit.EventStreamParser;
import dev.ssekit.testkit.EventStreamParser.ParsedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One exact-bytes test per rule of the event-stream format, each checked twice: on what
 * {@link EventEncoder} returns and on what a client of the hub receives.
 */
class WireFormatConformanceTest extends HubTestBase {

    /** Asserts the exact bytes for an event, from the encoder and through a hub. */
    private void assertWire(SseEvent event, String expected) throws Exception {
        String data = (String) event.data();
        byte[] encoded = EventEncoder.encodeEvent(event.id(), event.type(), event.retry(), data);
        assertThat(new String(encoded, StandardCharsets.UTF_8)).isEqualTo(expected);

        SseHub hub = start(manualHub());
        TestTransport client = transport(TestTransport.Mode.SYNC);
        open(hub, "ada", client);
        hub.emit(event);
        delivery.runAll();
        assertThat(client.text()).isEqualTo(RETRY_PREFIX + expected);
    }

    private static SseEvent.Builder event(String data) {
        return SseEvent.builder().id("1").data(data);
    }

    @Test
    void writesEachFieldAsNameColonOneSpaceValue() throws Exception {
        assertWire(event("hello").type("greeting").build(),
                "id: 1\nevent: greeting\ndata: hello\n\n");
    }

    @Test
    void keepsDataThatBeginsWithASpace() throws Exception {
        assertWire(event("  two spaces").build(), "id: 1\ndata:   two spaces\n\n");

        List<ParsedEvent> parsed = new EventStreamParser().feed("data:   two spaces\n\n");
        assertThat(parsed.get(0).data()).isEqualTo("  two spaces");
    }

    @Test
    void splitsDataOnLineFeed() throws Exception {
        assertWire(event("a\nb").build(), "id: 1\ndata: a\ndata: b\n\n");
    }

    @Test
    void splitsDataOnCarriageReturn() throws Exception {
        assertWire(event("a\rb").build(), "id: 1\ndata: a\ndata: b\n\n");
    }

    @Test
    void splitsDataOnCrLfAsOneLineBreak() throws Exception {
        assertWire(event("a\r\nb").build(), "id: 1\ndata: a\ndata: b\n\n");
    }

    @Test
    void treatsLfCrAsTwoLineBreaks() throws Exception {
        assertWire(event("a\n\rb").build(), "id: 1\ndata: a\ndata:\ndata: b\n\n");
    }

    @Test
    void writesEmptyLinesInsideDataAsDataLinesNeverBlankLines() throws Exception {
        assertWire(event("a\n\n\nb\n").build(),
                "id: 1\ndata: a\ndata:\ndata:\ndata: b\ndata:\n\n");
    }

    @Test
    void writesEmptyDataAsOneDataLineSoTheEventStillDispatches() throws Exception {
        assertWire(event("").type("ping").build(), "id: 1\nevent: ping\ndata:\n\n");

        List<ParsedEvent> parsed = new EventStreamParser().feed("event: ping\ndata:\n\n");
        assertThat(parsed).containsExactly(new ParsedEvent("ping", "", ""));
    }

    @Test
    void endsEveryEventWithABlankLine() throws Exception {
        assertWire(event("x").build(), "id: 1\ndata: x\n\n");
        assertThat(EventEncoder.encodeEvent(null, null, null, "x\n"))
                .asString(StandardCharsets.UTF_8).isEqualTo("data: x\ndata:\n\n");
    }

    @Test
    void writesRetryAsDecimalMilliseconds() throws Exception {
        assertWire(event("x").retry(Duration.ofSeconds(2).plusMillis(500)).build(),
                "id: 1\nretry: 2500\ndata: x\n\n");
        assertThat(EventEncoder.encodeRetry(Duration.ofMinutes(1)))
                .asString(StandardCharsets.UTF_8).isEqualTo("retry: 60000\n\n");
        assertThat(EventEncoder.encodeRetry(Duration.ZERO))
                .asString(StandardCharsets.UTF_8).isEqualTo("retry: 0\n\n");
    }

    @Test
    void rejectsANegativeRetry() {
        assertThatThrownBy(() -> SseEvent.builder().retry(Duration.ofMillis(-1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retry");
        assertThatThrownBy(() -> EventEncoder.encodeRetry(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retry");
    }

    @Test
    void writesFieldsInTheOrderIdEventRetryData() throws Exception {
        assertWire(SseEvent.builder().data("d").retry(Duration.ofMillis(7)).type("t").id("9")
                .build(), "id: 9\nevent: t\nretry: 7\ndata: d\n\n");
    }

    @Test
    void leavesOutAbsentFields() {
        assertThat(EventEncoder.encodeEvent(null, null, null, "d"))
                .asString(StandardCharsets.UTF_8).isEqualTo("data: d\n\n");
    }

    @Test
    void encodesUtf8IncludingCharactersOutsideTheBmp() throws Exception {
        assertWire(event("h\u00e9 \u4e16 \ud83d\ude00").build(),
                "id: 1\ndata: h\u00e9 \u4e16 \ud83d\ude00\n\n");
        assertThat(EventEncoder.encodeEvent(null, null, null, "\ud83d\ude00"))
                .containsExactly('d', 'a', 't', 'a', ':', ' ',
                        0xF0, 0x9F, 0x98, 0x80, '\n', '\n');
    }

    @Test
    void writesCommentsWithALeadingColonPerLineSplitLikeData() {
        assertThat(EventEncoder.encodeComment("ping")).asString(StandardCharsets.UTF_8)
                .isEqualTo(": ping\n");
        assertThat(EventEncoder.encodeComment("a\r\nb\rc\nd")).asString(StandardCharsets.UTF_8)
                .isEqualTo(": a\n: b\n: c\n: d\n");
        assertThat(EventEncoder.encodeComment("")).asString(StandardCharsets.UTF_8)
                .isEqualTo(":\n");
        assertThat(EventEncoder.encodeComment("a\n\nb")).asString(StandardCharsets.UTF_8)
                .isEqualTo(": a\n:\n: b\n");
    }

    @Test
    void commentsDispatchNothing() {
        EventStreamParser parser = new EventStreamParser();
        assertThat(parser.feed(EventEncoder.encodeComment("x\ny"))).isEmpty();
        assertThat(parser.feed("\n")).isEmpty();
        assertThat(parser.comments()).containsExactly(" x", " y");
    }

    @Test
    void rejectsLineBreaksAndNulInTheEventTypeNamingTheField() {
        for (String bad : List.of("a\rb", "a\nb", "a\r\nb", "a\0b", "\n")) {
            assertThatThrownBy(() -> SseEvent.builder().type(bad).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("type");
            assertThatThrownBy(() -> EventEncoder.encodeEvent(null, bad, null, ""))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("type");
            assertThatThrownBy(() -> SseEvent.of(bad, "x"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("type");
        }
    }

    @Test
    void rejectsLineBreaksAndNulInTheIdNamingTheField() {
        for (String bad : List.of("1\r", "1\n2", "\r\n", "1\u0000")) {
            assertThatThrownBy(() -> SseEvent.builder().id(bad).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("id");
            assertThatThrownBy(() -> EventEncoder.encodeEvent(bad, null, null, ""))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("id");
        }
    }

    @Test
    void rejectsAnInjectedTypeAtTheHubWithoutDeliveringAnything() throws Exception {
        SseHub hub = start(manualHub());
        TestTransport client = transport(TestTransport.Mode.SYNC);
        open(hub, "ada", client);

        assertThatThrownBy(() -> hub.emit("x\n\ndata: forged", "d"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("type");
        assertThatThrownBy(() -> hub.emitTo("ada", "x\0", "d"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("type");
        delivery.runAll();

        assertThat(client.text()).isEqualTo(RETRY_PREFIX);
        assertThat(hub.stats().eventsEmitted()).isZero();
    }

    @Test
    void serializesNonStringDataToJsonOnce() throws Exception {
        SseHub hub = start(manualHub());
        TestTransport client = transport(TestTransport.Mode.SYNC);
        open(hub, "ada", client);

        hub.emit(SseEvent.builder().id("5").type("t")
                .data(java.util.Map.of("text", "a\nb")).build());
        delivery.runAll();

        assertThat(client.text()).isEqualTo(RETRY_PREFIX
                + "id: 5\nevent: t\ndata: {\"text\":\"a\\nb\"}\n\n");
    }

    @Test
    void rejectsDataThatCannotBeSerialized() {
        SseHub hub = start(manualHub());

        assertThatThrownBy(() -> hub.emit("t", new Object()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object");
    }

    @Test
    void startsEveryStreamWithTheReconnectDelay() throws Exception {
        SseHub hub = start(manualHub().reconnectDelay(Duration.ofMillis(1500)));
        TestTransport client = transport(TestTransport.Mode.SYNC);
        open(hub, "ada", client);
        delivery.runAll();

        assertThat(client.text()).isEqualTo("retry: 1500\n\n");
    }
}
