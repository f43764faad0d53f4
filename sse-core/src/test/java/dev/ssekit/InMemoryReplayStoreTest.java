package dev.ssekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssekit.testkit.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryReplayStoreTest {

    private final TestClock clock = TestClock.fixedAt(Instant.parse("2026-03-01T10:00:00Z"));

    private StoredEvent event(String id) {
        return new StoredEvent(id, "t", null, new byte[] {'x'}, clock.instant());
    }

    private static List<String> ids(List<StoredEvent> events) {
        return events.stream().map(StoredEvent::id).toList();
    }

    @Test
    void returnsTheEventsAfterAnIdOldestFirst() {
        InMemoryReplayStore store = new InMemoryReplayStore(10, Duration.ofMinutes(1), clock);
        for (String id : List.of("a", "b", "c", "d")) {
            store.append(event(id));
        }

        assertThat(store.eventsAfter("b")).hasValueSatisfying(
                events -> assertThat(ids(events)).containsExactly("c", "d"));
        assertThat(store.eventsAfter("d")).hasValueSatisfying(
                events -> assertThat(events).isEmpty());
        assertThat(store.eventsAfter("zz")).isEmpty();
        assertThat(store.newestId()).hasValue("d");
    }

    @Test
    void forgetsTheOldestEventsBeyondItsCapacity() {
        InMemoryReplayStore store = new InMemoryReplayStore(3, Duration.ofMinutes(1), clock);
        for (int i = 1; i <= 7; i++) {
            store.append(event(Integer.toString(i)));
        }

        assertThat(store.size()).isEqualTo(3);
        assertThat(store.eventsAfter("4")).isEmpty();
        assertThat(store.eventsAfter("5")).hasValueSatisfying(
                events -> assertThat(ids(events)).containsExactly("6", "7"));
    }

    @Test
    void forgetsEventsOlderThanItsMaximumAge() {
        InMemoryReplayStore store = new InMemoryReplayStore(10, Duration.ofSeconds(60), clock);
        store.append(event("old"));
        clock.advance(Duration.ofSeconds(30));
        store.append(event("new"));
        clock.advance(Duration.ofSeconds(31));

        assertThat(store.eventsAfter("old")).isEmpty();
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.eventsAfter("new")).hasValueSatisfying(
                events -> assertThat(events).isEmpty());
    }

    @Test
    void aReusedIdResumesFromItsNewestOccurrence() {
        InMemoryReplayStore store = new InMemoryReplayStore(3, Duration.ofMinutes(1), clock);
        store.append(event("x"));
        store.append(event("y"));
        store.append(event("x"));
        store.append(event("z"));

        assertThat(store.eventsAfter("x")).hasValueSatisfying(
                events -> assertThat(ids(events)).containsExactly("z"));
    }

    @Test
    void withCapacityZeroKeepsNothing() {
        InMemoryReplayStore store = new InMemoryReplayStore(0, Duration.ofMinutes(1), clock);
        store.append(event("a"));

        assertThat(store.eventsAfter("a")).isEmpty();
        assertThat(store.newestId()).isEmpty();
    }

    @Test
    void rejectsInvalidBounds() {
        assertThatThrownBy(() -> new InMemoryReplayStore(-1, Duration.ofMinutes(1), clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity");
        assertThatThrownBy(() -> new InMemoryReplayStore(1, Duration.ZERO, clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxAge");
    }
}
