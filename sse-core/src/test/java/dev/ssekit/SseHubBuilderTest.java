package dev.ssekit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SseHubBuilderTest {

    @Test
    void rejectsInvalidSettingsNamingTheSetting() {
        SseHubBuilder builder = SseHub.builder();

        assertThatThrownBy(() -> builder.maxStreams(0)).hasMessageContaining("maxStreams");
        assertThatThrownBy(() -> builder.maxStreamsPerUser(-1))
                .hasMessageContaining("maxStreamsPerUser");
        assertThatThrownBy(() -> builder.maxQueuedEvents(0)).hasMessageContaining("maxQueued");
        assertThatThrownBy(() -> builder.heartbeatInterval(Duration.ZERO))
                .hasMessageContaining("heartbeatInterval");
        assertThatThrownBy(() -> builder.writeTimeout(Duration.ofSeconds(-1)))
                .hasMessageContaining("writeTimeout");
        assertThatThrownBy(() -> builder.reconnectDelay(Duration.ofMillis(-1)))
                .hasMessageContaining("reconnectDelay");
        assertThatThrownBy(() -> builder.replayCapacity(-1))
                .hasMessageContaining("replayCapacity");
        assertThatThrownBy(() -> builder.clock(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("clock");
    }
}
