package dev.ssekit;

import java.util.ArrayList;
import java.util.List;

/**
 * The frames waiting for one stream, in order. Not thread-safe: the stream's lock guards it.
 *
 * <p>The frames sit in a list made when the first one arrives and dropped when the last one
 * leaves, so an idle stream holds no array at all, and a busy one adds its frames to a young
 * array. A generational collector (G1) tracks every store of a reference into a long-lived
 * object, and a stream is one: here only the list's creation is such a store, once per batch
 * instead of once per frame.
 */
final class FrameQueue {

    private List<Frame> frames;

    int size() {
        return frames == null ? 0 : frames.size();
    }

    void add(Frame frame) {
        if (frames == null) {
            frames = new ArrayList<>(4);
        }
        frames.add(frame);
    }

    void clear() {
        frames = null;
    }

    /**
     * Takes the frames that fit in one write of {@code maxBytes}, at least one: {@code first}
     * if given, then the waiting ones in order. Returns null when there are none.
     */
    Frame[] take(Frame first, int maxBytes) {
        int count = first == null ? 0 : 1;
        int bytes = first == null ? 0 : first.length();
        int fromList = 0;
        for (int i = 0; i < size(); i++) {
            Frame frame = frames.get(i);
            if (count > 0 && bytes + frame.length() > maxBytes) {
                break;
            }
            bytes += frame.length();
            count++;
            fromList++;
        }
        if (count == 0) {
            return null;
        }

        Frame[] batch = new Frame[count];
        int next = 0;
        if (first != null) {
            batch[next++] = first;
        }
        for (int i = 0; i < fromList; i++) {
            batch[next++] = frames.get(i);
        }
        if (fromList == size()) {
            frames = null;
        } else {
            frames.subList(0, fromList).clear();
        }
        return batch;
    }
}
