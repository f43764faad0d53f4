package dev.ssekit.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An independent client-side parser for {@code text/event-stream}, written from the
 * "Interpreting an event stream" steps of the WHATWG HTML standard, for tests. It shares no code
 * with the library's encoder, so a round trip through it checks the encoder against the spec.
 *
 * <p>Feed it bytes or text in chunks of any size; it returns the events each chunk completes.
 * It keeps the last event id across events like a browser's {@code EventSource}, counts
 * comments, and remembers the last {@code retry} value. Not thread-safe.
 */
public final class EventStreamParser {

    /** One dispatched event, as a browser would see it. */
    public record ParsedEvent(String type, String data, String lastEventId) {
    }

    private final StringBuilder line = new StringBuilder();
    private final StringBuilder data = new StringBuilder();
    private final List<String> comments = new ArrayList<>();
    private final byte[] pendingUtf8 = new byte[4];
    private int pendingUtf8Length;
    private String eventType = "";
    private String lastEventId = "";
    private Long retryMillis;
    private boolean lastWasCr;
    private boolean firstChunk = true;

    /** Feeds raw UTF-8 bytes; a multi-byte character may be split across calls. */
    public List<ParsedEvent> feed(byte[] bytes, int offset, int length) {
        byte[] joined = new byte[pendingUtf8Length + length];
        System.arraycopy(pendingUtf8, 0, joined, 0, pendingUtf8Length);
        System.arraycopy(bytes, offset, joined, pendingUtf8Length, length);
        int complete = completeUtf8Prefix(joined);
        pendingUtf8Length = joined.length - complete;
        System.arraycopy(joined, complete, pendingUtf8, 0, pendingUtf8Length);
        return feed(new String(joined, 0, complete, StandardCharsets.UTF_8));
    }

    /** Feeds all of the bytes. */
    public List<ParsedEvent> feed(byte[] bytes) {
        return feed(bytes, 0, bytes.length);
    }

    /** Feeds decoded text. */
    public List<ParsedEvent> feed(String text) {
        List<ParsedEvent> events = new ArrayList<>();
        int start = 0;
        if (firstChunk && !text.isEmpty()) {
            firstChunk = false;
            if (text.charAt(0) == '\uFEFF') {
                start = 1;
            }
        }
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' && lastWasCr) {
                lastWasCr = false;
                continue;
            }
            lastWasCr = c == '\r';
            if (c == '\r' || c == '\n') {
                processLine(line.toString(), events);
                line.setLength(0);
            } else {
                line.append(c);
            }
        }
        return events;
    }

    /** Every comment seen so far, without the leading colon. */
    public List<String> comments() {
        return comments;
    }

    /** The last valid {@code retry} value seen, or {@code null}. */
    public Long retryMillis() {
        return retryMillis;
    }

    /** The last event id buffer, as a browser would send it in {@code Last-Event-ID}. */
    public String lastEventId() {
        return lastEventId;
    }

    private void processLine(String text, List<ParsedEvent> events) {
        if (text.isEmpty()) {
            dispatch(events);
            return;
        }
        if (text.charAt(0) == ':') {
            comments.add(text.substring(1));
            return;
        }
        int colon = text.indexOf(':');
        String field;
        String value;
        if (colon < 0) {
            field = text;
            value = "";
        } else {
            field = text.substring(0, colon);
            value = text.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
        }
        processField(field, value);
    }

    private void processField(String field, String value) {
        switch (field) {
            case "event" -> eventType = value;
            case "data" -> data.append(value).append('\n');
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastEventId = value;
                }
            }
            case "retry" -> {
                if (!value.isEmpty() && value.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                    retryMillis = Long.parseLong(value);
                }
            }
            default -> {
                // The standard says to ignore any other field.
            }
        }
    }

    private void dispatch(List<ParsedEvent> events) {
        if (data.length() == 0) {
            eventType = "";
            return;
        }
        String payload = data.substring(0, data.length() - 1);
        String type = eventType.isEmpty() ? "message" : eventType;
        events.add(new ParsedEvent(type, payload, lastEventId));
        data.setLength(0);
        eventType = "";
    }

    /** How many leading bytes form whole UTF-8 characters. */
    private static int completeUtf8Prefix(byte[] bytes) {
        int end = bytes.length;
        int back = 0;
        while (back < 3 && end - back - 1 >= 0 && (bytes[end - back - 1] & 0xC0) == 0x80) {
            back++;
        }
        int leadIndex = end - back - 1;
        if (leadIndex < 0) {
            return end;
        }
        int lead = bytes[leadIndex] & 0xFF;
        int needed = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        return needed > back + 1 ? leadIndex : end;
    }
}
