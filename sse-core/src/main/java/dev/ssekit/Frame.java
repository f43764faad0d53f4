package dev.ssekit;

import java.nio.charset.StandardCharsets;

/**
 * Encoded bytes queued for a stream, with the types of the events inside them (for the
 * delivered-per-type statistics; none for heartbeats and control lines). One frame is shared
 * by every stream it is queued for; nobody modifies its bytes.
 */
record Frame(byte[] bytes, String[] eventTypes) {

    private static final String[] NO_EVENTS = new String[0];

    /** The heartbeat comment, {@code : heartbeat\n}. */
    static final Frame HEARTBEAT = control(EventEncoder.encodeComment("heartbeat"));

    static Frame event(byte[] bytes, String type) {
        return new Frame(bytes, new String[] {type});
    }

    static Frame control(byte[] bytes) {
        return new Frame(bytes, NO_EVENTS);
    }

    boolean isHeartbeat() {
        return this == HEARTBEAT;
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
