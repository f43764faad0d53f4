package dev.ssekit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameQueueTest {

    private final FrameQueue queue = new FrameQueue();

    @Test
    void givesNothingWhenEmptyAndNoFrameIsHandedOver() {
        assertThat(queue.take(null, 100)).isNull();
        assertThat(queue.size()).isZero();
    }

    @Test
    void takesTheHandedOverFrameFirstThenTheWaitingOnesInOrder() {
        Frame handedOver = frame(10);
        Frame second = frame(10);
        Frame third = frame(10);
        queue.add(second);
        queue.add(third);

        assertThat(queue.take(handedOver, 100)).containsExactly(handedOver, second, third);
        assertThat(queue.size()).isZero();
    }

    @Test
    void leavesWhatDoesNotFitInOneWriteForTheNext() {
        Frame first = frame(40);
        Frame second = frame(40);
        Frame third = frame(40);
        queue.add(first);
        queue.add(second);
        queue.add(third);

        assertThat(queue.take(null, 100)).containsExactly(first, second);
        assertThat(queue.size()).isEqualTo(1);
        assertThat(queue.take(null, 100)).containsExactly(third);
        assertThat(queue.take(null, 100)).isNull();
    }

    @Test
    void takesAFrameLargerThanOneWriteOnItsOwn() {
        Frame large = frame(500);
        Frame small = frame(10);
        queue.add(large);
        queue.add(small);

        assertThat(queue.take(null, 100)).containsExactly(large);
        assertThat(queue.take(null, 100)).containsExactly(small);
    }

    @Test
    void dropsEverythingOnClear() {
        queue.add(frame(10));
        queue.add(frame(10));

        queue.clear();

        assertThat(queue.size()).isZero();
        assertThat(queue.take(null, 100)).isNull();
    }

    private static Frame frame(int bytes) {
        byte[] data = ("data: " + "x".repeat(bytes - 8) + "\n\n").getBytes(StandardCharsets.UTF_8);
        return Frame.event(data, "message");
    }
}
