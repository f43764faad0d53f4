package dev.ssekit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssekit.testkit.EventStreamParser.ParsedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Resuming after a gap: missed events once and in order, then live ones; or one notice. */
class ReplayTest extends HubTestBase {

    private static final String MISSED = SseHub.MISSED_EVENTS_TYPE;

    private static List<String> data(TestTransport client) {
        return client.events().stream().map(ParsedEvent::data).toList();
    }

    private TestTransport resume(SseHub hub, String userId, String lastEventId, String filter)
            throws Exception {
        TestTransport client = transport(TestTransport.Mode.SYNC);
        open(hub, StreamRequest.builder(userId).lastEventId(lastEventId)
                .filter(EventTypeFilter.parse(filter)).build(), client);
        return client;
    }

    @Test
    void replaysOnlyTheMissedEventsTheUserMaySeeAndTheFilterSelectsThenLiveOnes()
            throws Exception {
        SseHub hub = start(manualHub());
        String seen = hub.emit("record.created", "seen").eventId();
        hub.emit("record.created", "r1");
        hub.emitTo("bob", "record.updated", "bob's");
        hub.emit("audit", "filtered out");
        hub.emitTo("ada", "record.updated", "r2 for ada");
        hub.emit(null, "untyped, filtered out");

        TestTransport ada = resume(hub, "ada", seen, "record.*");
        hub.emit("record.deleted", "live");
        hub.emit("audit", "live, filtered out");
        delivery.runAll();

        assertThat(data(ada)).containsExactly("r1", "r2 for ada", "live");
        assertThat(ada.text()).startsWith(RETRY_PREFIX + "id: ");
        assertThat(hub.stats().eventsDeliveredByType())
                .containsEntry("record.created", 1L).containsEntry("record.updated", 1L);
    }

    @Test
    void resumingFromTheNewestEventReplaysNothing() throws Exception {
        SseHub hub = start(manualHub());
        hub.emit("t", "old");
        String newest = hub.emit("t", "newest").eventId();

        TestTransport client = resume(hub, "ada", newest, null);
        delivery.runAll();

        assertThat(client.text()).isEqualTo(RETRY_PREFIX);
    }

    @Test
    void anUnknownIdGetsExactlyOneMissedEventsNoticeThenLiveEvents() throws Exception {
        SseHub hub = start(manualHub());
        hub.emit("t", "before");
        String newest = hub.emit("t", "newest").eventId();

        TestTransport client = resume(hub, "ada", "no-such-id", "t");
        hub.emit("t", "live");
        delivery.runAll();

        assertThat(client.events()).hasSize(2);
        assertThat(client.events().get(0))
                .isEqualTo(new ParsedEvent(MISSED, "{\"lastEventId\":\"no-such-id\"}", newest));
        assertThat(client.events().get(1).data()).isEqualTo("live");
    }

    @Test
    void anIdOlderThanTheReplayAgeGetsTheNotice() throws Exception {
        SseHub hub = start(manualHub().replayMaxAge(Duration.ofMinutes(5)));
        String old = hub.emit("t", "old").eventId();
        clock.advance(Duration.ofMinutes(4));
        String newer = hub.emit("t", "newer").eventId();
        clock.advance(Duration.ofMinutes(1).plusMillis(1));

        TestTransport client = resume(hub, "ada", old, null);
        delivery.runAll();

        assertThat(client.events()).containsExactly(
                new ParsedEvent(MISSED, "{\"lastEventId\":\"" + old + "\"}", newer));
    }

    @Test
    void anIdPushedOutByTheReplayCapacityGetsTheNotice() throws Exception {
        SseHub hub = start(manualHub().replayCapacity(3));
        String first = hub.emit("t", "1").eventId();
        hub.emit("t", "2");
        String oldestKept = hub.emit("t", "3").eventId();
        hub.emit("t", "4");
        hub.emit("t", "5");

        TestTransport tooOld = resume(hub, "ada", first, null);
        TestTransport stillKnown = resume(hub, "bob", oldestKept, null);
        delivery.runAll();

        assertThat(tooOld.events()).extracting(ParsedEvent::type).containsExactly(MISSED);
        assertThat(data(stillKnown)).containsExactly("4", "5");
    }

    @Test
    void withNoEventsKnownTheNoticeCarriesAnEmptyId() throws Exception {
        SseHub hub = start(manualHub().replayCapacity(0));
        hub.emit("t", "not kept");

        TestTransport client = resume(hub, "ada", "7", null);
        delivery.runAll();

        assertThat(client.text()).isEqualTo(RETRY_PREFIX
                + "id:\nevent: ssekit.missed\ndata: {\"lastEventId\":\"7\"}\n\n");
    }

    @Test
    void aHostileLastEventIdCannotInjectFieldsIntoTheNotice() throws Exception {
        SseHub hub = start(manualHub());

        TestTransport client = resume(hub, "ada", "1\n\nevent: forged\ndata: x", null);
        delivery.runAll();

        assertThat(client.events()).hasSize(1);
        assertThat(client.events().get(0).type()).isEqualTo(MISSED);
        assertThat(client.events().get(0).data())
                .isEqualTo("{\"lastEventId\":\"1\\n\\nevent: forged\\ndata: x\"}");
    }

    @Test
    void resumingWhileEventsAreEmittedConcurrentlyLosesAndDuplicatesNothing()
            throws Exception {
        int total = 3000;
        SseHub hub = start(threadedHub().replayCapacity(total).maxQueuedEvents(2 * total)
                .maxStreamsPerUser(20));
        AtomicReferenceArray<String> ids = new AtomicReferenceArray<>(total);
        Thread emitter = new Thread(() -> {
            for (int i = 0; i < total; i++) {
                ids.set(i, hub.emit("seq", Integer.toString(i)).eventId());
            }
        }, "test-emitter");
        emitter.start();

        List<Integer> resumePoints = List.of(0, 100, 500, 1000, 1500, 2000, 2500);
        List<TestTransport> clients = new ArrayList<>();
        for (int from : resumePoints) {
            awaitEmitted(ids, from);
            clients.add(resume(hub, "ada", ids.get(from), null));
        }
        emitter.join(TestTransport.WAIT.toMillis());

        for (int c = 0; c < clients.size(); c++) {
            int from = resumePoints.get(c);
            List<ParsedEvent> events = clients.get(c).awaitEvents(total - from - 1);
            assertThat(events).extracting(ParsedEvent::data).as("resumed after %d", from)
                    .containsExactlyElementsOf(range(from + 1, total));
        }
    }

    /** Spins (bounded) so that the open races with the emitter instead of trailing it. */
    private static void awaitEmitted(AtomicReferenceArray<String> ids, int index) {
        long deadline = System.nanoTime() + TestTransport.WAIT.toNanos();
        while (ids.get(index) == null) {
            assertThat(System.nanoTime()).as("event %d emitted in time", index)
                    .isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    private static List<String> range(int fromInclusive, int toExclusive) {
        return IntStream.range(fromInclusive, toExclusive)
                .mapToObj(Integer::toString).toList();
    }
}
