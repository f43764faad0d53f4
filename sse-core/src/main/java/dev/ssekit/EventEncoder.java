package dev.ssekit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * Encodes events and comments into the bytes of a {@code text/event-stream}, UTF-8.
 *
 * <p>The rules, exactly as written:
 * <ul>
 *   <li>every field is one line {@code name: value\n}, with a single space after the colon, so
 *       a value that itself starts with a space survives; a field whose value is empty is
 *       written {@code name:\n};
 *   <li>fields come in the order {@code id}, {@code event}, {@code retry}, {@code data};
 *   <li>data is split on CRLF, CR and LF into one {@code data:} line each, so an empty line in
 *       the data becomes {@code data:\n} and never a blank line; empty data is one
 *       {@code data:\n} line and still dispatches an event;
 *   <li>{@code retry} is written as decimal milliseconds;
 *   <li>every event ends with a blank line ({@code \n});
 *   <li>a comment is split like data, each line written {@code : text\n} (or {@code :\n}).
 * </ul>
 *
 * <p>For example {@code encodeEvent("7", "record.created", null, "a\r\nb")} gives the bytes
 * {@code id: 7\nevent: record.created\ndata: a\ndata: b\n\n}.
 *
 * <p>Stateless and thread-safe.
 */
public final class EventEncoder {

    private EventEncoder() {
    }

    /**
     * Encodes one event.
     *
     * @param id the {@code id:} value, or {@code null} to leave the field out
     * @param type the {@code event:} value, or {@code null} to leave the field out
     * @param retry the {@code retry:} value, or {@code null} to leave the field out
     * @param data the data, never {@code null} (empty data is one empty {@code data:} line)
     * @return the frame, ending with a blank line
     * @throws IllegalArgumentException if the id or type contains CR, LF or NUL, or the retry
     *     is negative
     */
    public static byte[] encodeEvent(String id, String type, Duration retry, String data) {
        Objects.requireNonNull(data, "data");
        FieldRules.checkLineFree("id", id);
        FieldRules.checkLineFree("type", type);

        StringBuilder frame = new StringBuilder(data.length() + 64);
        if (id != null) {
            appendField(frame, "id", id);
        }
        if (type != null) {
            appendField(frame, "event", type);
        }
        if (retry != null) {
            appendField(frame, "retry", retryMillis(retry));
        }
        appendLines(frame, "data", data);
        frame.append('\n');
        return frame.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Encodes a comment, which clients ignore; used for heartbeats and keeping proxies open.
     * {@code comment("ping")} gives {@code : ping\n}.
     */
    public static byte[] encodeComment(String text) {
        Objects.requireNonNull(text, "text");

        StringBuilder frame = new StringBuilder(text.length() + 4);
        appendLines(frame, "", text);
        return frame.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Encodes a lone {@code retry:} field followed by a blank line, which sets the client's
     * reconnection delay without dispatching an event: {@code retry: 3000\n\n}.
     *
     * @throws IllegalArgumentException if the delay is negative
     */
    public static byte[] encodeRetry(Duration retry) {
        StringBuilder frame = new StringBuilder(24);
        appendField(frame, "retry", retryMillis(retry));
        frame.append('\n');
        return frame.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String retryMillis(Duration retry) {
        Objects.requireNonNull(retry, "retry");
        if (retry.isNegative()) {
            throw new IllegalArgumentException("retry must not be negative: " + retry);
        }
        return Long.toString(retry.toMillis());
    }

    private static void appendField(StringBuilder frame, String name, String value) {
        frame.append(name).append(':');
        if (!value.isEmpty()) {
            frame.append(' ').append(value);
        }
        frame.append('\n');
    }

    /** Writes one {@code name: line} per line of text, splitting on CRLF, CR and LF. */
    private static void appendLines(StringBuilder frame, String name, String text) {
        int start = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c != '\r' && c != '\n') {
                continue;
            }
            appendField(frame, name, text.substring(start, i));
            if (c == '\r' && i + 1 < length && text.charAt(i + 1) == '\n') {
                i++;
            }
            start = i + 1;
        }
        appendField(frame, name, text.substring(start));
    }
}
