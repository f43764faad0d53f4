package dev.ssekit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encoded bytes queued for a stream, as one or more shared byte arrays, with the types of the
 * events inside them (for the delivered-per-type statistics; none for heartbeats and control
 * lines). One frame may be queued for many streams and its arrays are shared with the replay
 * store: nobody modifies them. Immutable.
 */
final class Frame {

    private static final String[] NO_EVENTS = new String[0];

    /** The heartbeat comment, {@code : heartbeat\n}. */
    static final Frame HEARTBEAT = control(EventEncoder.encodeComment("heartbeat"));

    private final byte[][] parts;
    private final String[] eventTypes;
    private final int length;

    private Frame(byte[][] parts, String[] eventTypes) {
        this.parts = parts;
        this.eventTypes = eventTypes;
        int total = 0;
        for (byte[] part : parts) {
            total += part.length;
        }
        this.length = total;
    }

    static Frame event(byte[] bytes, String type) {
        return new Frame(new byte[][] {bytes}, new String[] {type});
    }

    static Frame control(byte[] bytes) {
        return new Frame(new byte[][] {bytes}, NO_EVENTS);
    }

    /**
     * The missed events of a resuming stream as one frame that refers to the stored bytes
     * instead of copying them: it takes one place in the stream's queue, whose bound is for
     * live events; the replay store already bounds how many events it holds.
     */
    static Frame replay(List<StoredEvent> events) {
        byte[][] parts = new byte[events.size()][];
        String[] types = new String[events.size()];
        for (int i = 0; i < events.size(); i++) {
            StoredEvent event = events.get(i);
            parts[i] = event.frame();
            types[i] = event.type() == null ? "message" : event.type();
        }
        return new Frame(parts, types);
    }

    /** The number of bytes. */
    int length() {
        return length;
    }

    /** The types of the events inside, one per event. */
    String[] eventTypes() {
        return eventTypes;
    }

    /** Whether the bytes are one array (an event or a control line, not a replay). */
    boolean isSingleArray() {
        return parts.length == 1;
    }

    /** Copies the bytes of a batch into one array, or hands out a lone array as it is. */
    static byte[] join(Frame[] batch) {
        if (batch.length == 1 && batch[0].parts.length == 1) {
            return batch[0].parts[0];
        }
        int total = 0;
        for (Frame frame : batch) {
            total += frame.length;
        }
        byte[] joined = new byte[total];
        int offset = 0;
        for (Frame frame : batch) {
            for (byte[] part : frame.parts) {
                System.arraycopy(part, 0, joined, offset, part.length);
                offset += part.length;
            }
        }
        return joined;
    }

    @Override
    public String toString() {
        ByteArrayOutputStream text = new ByteArrayOutputStream(length);
        for (byte[] part : parts) {
            text.writeBytes(part);
        }
        return text.toString(StandardCharsets.UTF_8);
    }
}
