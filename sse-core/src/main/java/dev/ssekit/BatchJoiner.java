package dev.ssekit;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Joins a batch of queued frames into the bytes of one write, and shares the result with the
 * streams that write the same batch next.
 *
 * <p>When delivery falls behind a broadcast, thousands of streams hold the same run of frames
 * and each would copy it into an array of its own. The delivery threads take streams in the
 * order the broadcast queued them, so consecutive streams mostly hold the same frames: the
 * last joined batch is kept, and a batch of the very same frames (compared by identity) gets
 * its bytes again. Nobody modifies the arrays, so sharing them is safe.
 */
final class BatchJoiner {

    private final AtomicReference<Joined> last = new AtomicReference<>();

    /**
     * The bytes of the batch, in order. Only batches of live frames are kept for sharing: a
     * replay is one stream's alone, and kept it would hold its stored events in memory.
     */
    byte[] join(Frame[] batch) {
        if (batch.length == 1 || !allSingleArrays(batch)) {
            return Frame.join(batch);
        }
        Joined previous = last.get();
        if (previous != null && previous.holds(batch)) {
            return previous.bytes;
        }

        byte[] bytes = Frame.join(batch);
        last.set(new Joined(batch, bytes));
        return bytes;
    }

    private static boolean allSingleArrays(Frame[] batch) {
        for (Frame frame : batch) {
            if (!frame.isSingleArray()) {
                return false;
            }
        }
        return true;
    }

    /** A batch and its joined bytes. */
    private record Joined(Frame[] frames, byte[] bytes) {

        boolean holds(Frame[] batch) {
            if (batch.length != frames.length) {
                return false;
            }
            for (int i = 0; i < batch.length; i++) {
                if (batch[i] != frames[i]) {
                    return false;
                }
            }
            return true;
        }
    }
}
