package dev.ssekit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchJoinerTest {

    private final BatchJoiner joiner = new BatchJoiner();

    @Test
    void handsOutALoneEventAsItIs() {
        byte[] bytes = bytes("data: a\n\n");

        assertThat(joiner.join(new Frame[] {Frame.event(bytes, "message")})).isSameAs(bytes);
    }

    @Test
    void joinsABatchInOrderAndSharesItWithTheNextStreamHoldingTheSameFrames() {
        Frame first = Frame.event(bytes("data: 1\n\n"), "n");
        Frame second = Frame.event(bytes("data: 2\n\n"), "n");

        byte[] one = joiner.join(new Frame[] {first, second});
        byte[] again = joiner.join(new Frame[] {first, second});

        assertThat(text(one)).isEqualTo("data: 1\n\ndata: 2\n\n");
        assertThat(again).isSameAs(one);
    }

    @Test
    void joinsAgainWhenTheFramesDifferEvenWithTheSameBytes() {
        Frame first = Frame.event(bytes("data: 1\n\n"), "n");
        Frame second = Frame.event(bytes("data: 2\n\n"), "n");
        Frame third = Frame.event(bytes("data: 2\n\n"), "n");

        byte[] one = joiner.join(new Frame[] {first, second});
        byte[] other = joiner.join(new Frame[] {first, third});
        byte[] longer = joiner.join(new Frame[] {first, second, third});

        assertThat(other).isNotSameAs(one);
        assertThat(text(other)).isEqualTo("data: 1\n\ndata: 2\n\n");
        assertThat(text(longer)).isEqualTo("data: 1\n\ndata: 2\n\ndata: 2\n\n");
    }

    @Test
    void joinsAReplayFrameOfSeveralStoredEvents() {
        Instant now = Instant.EPOCH;
        Frame replay = Frame.replay(List.of(
                new StoredEvent("1", "n", null, bytes("id: 1\ndata: a\n\n"), now),
                new StoredEvent("2", "n", null, bytes("id: 2\ndata: b\n\n"), now)));

        byte[] joined = joiner.join(new Frame[] {replay, Frame.HEARTBEAT});

        assertThat(text(joined)).isEqualTo("id: 1\ndata: a\n\nid: 2\ndata: b\n\n: heartbeat\n");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
