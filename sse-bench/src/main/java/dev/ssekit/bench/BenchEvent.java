package dev.ssekit.bench;

import java.nio.charset.StandardCharsets;

/**
 * The benchmark's event payload: {@code @<intended send nanos>;<sequence>;} padded with
 * {@code x} to a fixed length. The send time is the time the event was due, not the time it
 * went out, so a stalled emitter shows up as latency (coordinated omission). Times come from
 * {@link System#nanoTime()}, which on Linux reads the machine-wide monotonic clock and so is
 * comparable between the server and the generator processes on the same machine.
 */
final class BenchEvent {

    /** The event type every subject sends. */
    static final String TYPE = "tick";

    /** {@code event: tick\ndata: } plus the closing {@code \n\n}. */
    static final int FRAME_OVERHEAD = 20;

    private BenchEvent() {
    }

    /** The data field of event {@code seq}, padded so the frame is about {@code frameBytes}. */
    static String payload(long intendedNanos, long seq, int frameBytes) {
        StringBuilder text = new StringBuilder(frameBytes);
        text.append('@').append(intendedNanos).append(';').append(seq).append(';');
        while (text.length() < frameBytes - FRAME_OVERHEAD) {
            text.append('x');
        }
        return text.toString();
    }

    /** The whole frame {@code event: tick\ndata: <payload>\n\n} as bytes. */
    static byte[] frame(long intendedNanos, long seq, int frameBytes) {
        String frame = "event: " + TYPE + "\ndata: " + payload(intendedNanos, seq, frameBytes)
                + "\n\n";
        return frame.getBytes(StandardCharsets.UTF_8);
    }
}
