package dev.ssekit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The statistics snapshot and its JSON form. */
class HubStatsTest extends HubTestBase {

    private final SseHub hub = start(manualHub());

    @Test
    void countsStreamsEventsClosesAndHeartbeats() throws Exception {
        open(hub, "ada", transport(TestTransport.Mode.SYNC));
        open(hub, "ada", transport(TestTransport.Mode.SYNC));
        open(hub, StreamRequest.builder("bob").filter(EventTypeFilter.parse("record.*")).build(),
                transport(TestTransport.Mode.SYNC));
        SseStream leaving = open(hub, "cy", transport(TestTransport.Mode.SYNC));
        delivery.runAll();
        leaving.clientDisconnected();

        hub.emit("record.created", "r");
        hub.emit("note", "n");
        hub.emitTo("ada", "note", "n2");
        delivery.runAll();
        clock.advance(Duration.ofSeconds(30));
        sweep();
        delivery.runAll();
        clock.advance(Duration.ofSeconds(15));

        HubStats stats = hub.stats();
        assertThat(stats.openStreams()).isEqualTo(3);
        assertThat(stats.usersConnected()).isEqualTo(2);
        assertThat(stats.streamsPerUser()).isEqualTo(Map.of("ada", 2, "bob", 1));
        assertThat(stats.eventsEmitted()).isEqualTo(3);
        assertThat(stats.eventsEmittedByType())
                .isEqualTo(Map.of("record.created", 1L, "note", 2L));
        assertThat(stats.eventsDeliveredByType())
                .isEqualTo(Map.of("record.created", 3L, "note", 4L));
        assertThat(stats.streamsOpened()).isEqualTo(4);
        assertThat(stats.streamsClosedByReason()).isEqualTo(Map.of("CLIENT_GONE", 1L));
        assertThat(stats.heartbeats()).isEqualTo(3);
        assertThat(stats.startedAt()).isEqualTo(START);
        assertThat(stats.uptimeSeconds()).isEqualTo(45);
    }

    @Test
    void countsShutdownAndSlowCloses() throws Exception {
        open(hub, StreamRequest.builder("ada").build(), transport(TestTransport.Mode.SYNC));
        SseStream slow = open(hub, "bob", transport(TestTransport.Mode.NEVER));
        delivery.runAll();
        clock.advance(Duration.ofSeconds(60));
        sweep();

        hub.close(Duration.ZERO);

        assertThat(closedWith(slow)).isEqualTo(CloseReason.SLOW);
        assertThat(hub.stats().streamsClosedByReason())
                .isEqualTo(Map.of("SLOW", 1L, "SHUTDOWN", 1L));
    }

    @Test
    void serializesToJsonWithAPlainObjectMapper() throws Exception {
        open(hub, "ada", transport(TestTransport.Mode.SYNC));
        hub.emit("note", "n");
        delivery.runAll();

        String json = new ObjectMapper().writeValueAsString(hub.stats());
        JsonNode tree = new ObjectMapper().readTree(json);

        assertThat(tree.get("openStreams").asInt()).isEqualTo(1);
        assertThat(tree.get("streamsPerUser").get("ada").asInt()).isEqualTo(1);
        assertThat(tree.get("eventsEmittedByType").get("note").asLong()).isEqualTo(1);
        assertThat(tree.get("eventsDeliveredByType").get("note").asLong()).isEqualTo(1);
        assertThat(tree.get("startedAt").asText()).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(tree.has("uptimeSeconds")).isTrue();
        assertThat(tree.has("heartbeats")).isTrue();
        assertThat(tree.has("streamsClosedByReason")).isTrue();
    }

    @Test
    void countsTypesBeyondTheBoundTogether() {
        for (int i = 0; i < HubCounters.MAX_COUNTED_TYPES + 5; i++) {
            hub.emit("type-" + i, "x");
        }
        hub.emit("type-0", "again");

        Map<String, Long> emitted = hub.stats().eventsEmittedByType();
        assertThat(emitted).hasSize(HubCounters.MAX_COUNTED_TYPES + 1)
                .containsEntry("type-0", 2L)
                .containsEntry(HubCounters.OTHER_TYPES, 5L);
    }
}
