package dev.ssekit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssekit.testkit.EventStreamParser;
import dev.ssekit.testkit.EventStreamParser.ParsedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random data made of letters, CR, LF, spaces, colons, NUL and characters outside the BMP,
 * encoded by the encoder and by the hub, then parsed by the independent test-kit parser fed in
 * random chunks that split UTF-8 sequences: each emit gives exactly one event whose data is the
 * input with CRLF and CR turned into LF. The seed is in every failure message; set
 * {@code -Dssekit.seed=N} to replay one run.
 */
class RoundTripPropertyTest extends HubTestBase {

    private static final int CASES = 3000;
    private static final int[] ALPHABET = {
        'a', 'b', 'Z', '\r', '\n', ' ', ':', '\0', 0x1F600, 0x10FFFF, 0x20000, 0xE9, 0x4E16,
    };

    private final long seed = Long.getLong("ssekit.seed", System.nanoTime());
    private final Random random = new Random(seed);

    @Test
    void encoderOutputParsesBackToTheNormalisedDataOneEventPerFrame() {
        for (int i = 0; i < CASES; i++) {
            String data = randomData();
            String type = random.nextBoolean() ? null : "t" + i;
            byte[] frame = EventEncoder.encodeEvent(Integer.toString(i), type, null, data);

            List<ParsedEvent> parsed = parseInRandomChunks(frame);

            String context = "seed " + seed + ", case " + i + ", data " + escape(data);
            assertThat(parsed).as(context).hasSize(1);
            assertThat(parsed.get(0).data()).as(context).isEqualTo(normalised(data));
            assertThat(parsed.get(0).type()).as(context)
                    .isEqualTo(type == null ? "message" : type);
            assertThat(parsed.get(0).lastEventId()).as(context).isEqualTo(Integer.toString(i));
        }
    }

    @Test
    void hubStreamParsesBackToExactlyTheEmittedEventsInOrder() throws Exception {
        // The stream's retry line waits with the events and counts against the bound.
        SseHub hub = start(manualHub().maxQueuedEvents(CASES + 1));
        TestTransport client = transport(TestTransport.Mode.SYNC);
        open(hub, "ada", client);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            String data = randomData();
            sent.add(data);
            hub.emit("random", data);
        }
        delivery.runAll();

        List<ParsedEvent> parsed = parseInRandomChunks(client.bytes());

        assertThat(parsed).as("seed " + seed).hasSize(CASES);
        for (int i = 0; i < CASES; i++) {
            assertThat(parsed.get(i).data()).as("seed " + seed + ", emit " + i + ", data "
                    + escape(sent.get(i))).isEqualTo(normalised(sent.get(i)));
            assertThat(parsed.get(i).type()).isEqualTo("random");
        }
    }

    private String randomData() {
        int length = random.nextInt(4) == 0 ? 0 : random.nextInt(40);
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < length; i++) {
            data.appendCodePoint(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return data.toString();
    }

    private List<ParsedEvent> parseInRandomChunks(byte[] bytes) {
        EventStreamParser parser = new EventStreamParser();
        List<ParsedEvent> events = new ArrayList<>();
        int offset = 0;
        while (offset < bytes.length) {
            int chunk = Math.min(bytes.length - offset, 1 + random.nextInt(7));
            events.addAll(parser.feed(bytes, offset, chunk));
            offset += chunk;
        }
        return events;
    }

    private static String normalised(String data) {
        return data.replace("\r\n", "\n").replace('\r', '\n');
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp > 0x7E) {
                out.append(String.format("\\u{%X}", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.append('"').toString();
    }
}
