package dev.ssekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ssekit.testkit.EventStreamParser.ParsedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Eight threads emit while the sweep writes heartbeats: every frame arrives whole, in order. */
class ConcurrentEmitTest extends HubTestBase {

    private static final int EMITTERS = 8;
    private static final int PER_EMITTER = 250;
    private static final int PAUSE_EVERY = 50;

    @Test
    void concurrentEmittersAndHeartbeatsNeverCorruptOrReorderFrames() throws Exception {
        SseHub hub = start(threadedHub().maxQueuedEvents(4 * EMITTERS * PER_EMITTER)
                .heartbeatInterval(Duration.ofMillis(20)).writeTimeout(Duration.ofDays(1)));
        List<TestTransport> clients = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            TestTransport.Mode mode = i % 2 == 0 ? TestTransport.Mode.SYNC
                    : TestTransport.Mode.ASYNC;
            TestTransport client = transport(mode);
            open(hub, "user-" + i % 3, client);
            clients.add(client);
        }

        CountDownLatch go = new CountDownLatch(1);
        List<Thread> emitters = new ArrayList<>();
        for (int e = 0; e < EMITTERS; e++) {
            emitters.add(startEmitter(hub, e, go));
        }
        ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
        heartbeats.scheduleAtFixedRate(() -> {
            clock.advance(Duration.ofMillis(20));
            sweep();
        }, 0, 1, TimeUnit.MILLISECONDS);
        go.countDown();
        for (Thread emitter : emitters) {
            emitter.join(TestTransport.WAIT.toMillis());
        }
        heartbeats.shutdown();
        assertThat(heartbeats.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        long heartbeatsWhileEmitting = hub.stats().heartbeats();
        for (TestTransport client : clients) {
            client.awaitEvents(EMITTERS * PER_EMITTER);
        }

        for (TestTransport client : clients) {
            assertWholeFramesInEmitOrder(client);
        }
        assertThat(heartbeatsWhileEmitting).isGreaterThanOrEqualTo(PER_EMITTER / PAUSE_EVERY);
        assertThat(hub.stats().openStreams()).isEqualTo(6);
    }

    private static Thread startEmitter(SseHub hub, int emitter, CountDownLatch go) {
        Thread thread = new Thread(() -> {
            awaitQuietly(go);
            for (int seq = 0; seq < PER_EMITTER; seq++) {
                hub.emit("emitter-" + emitter, payload(emitter, seq));
                if ((seq + 1) % PAUSE_EVERY == 0) {
                    awaitAnotherHeartbeat(hub);
                }
            }
        }, "test-emitter-" + emitter);
        thread.start();
        return thread;
    }

    /**
     * Waits (bounded) until the sweep wrote one more heartbeat. Once every emitter waits, the
     * streams drain and go idle, so heartbeats surely fall between the bursts of events.
     */
    private static void awaitAnotherHeartbeat(SseHub hub) {
        long seen = hub.stats().heartbeats();
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                .atMost(TestTransport.WAIT).until(() -> hub.stats().heartbeats() > seen);
    }

    /** Several lines, so that anything written between them shows up in the data. */
    private static String payload(int emitter, int seq) {
        return "emitter " + emitter + "\r\nseq " + seq + "\n" + "x".repeat(seq % 40);
    }

    private static void assertWholeFramesInEmitOrder(TestTransport client) {
        String text = client.text();
        HeartbeatTest.assertHeartbeatsOnlyBetweenFrames(text);
        List<ParsedEvent> events = client.events();
        assertThat(events).hasSize(EMITTERS * PER_EMITTER);

        int[] next = new int[EMITTERS];
        long previousSequence = 0;
        for (ParsedEvent event : events) {
            long sequence = sequenceOf(event.lastEventId());
            assertThat(sequence).as("hub-assigned ids arrive in increasing order")
                    .isGreaterThan(previousSequence);
            previousSequence = sequence;
            int emitter = Integer.parseInt(event.type().substring("emitter-".length()));
            assertThat(event.data()).isEqualTo(payload(emitter, next[emitter])
                    .replace("\r\n", "\n"));
            next[emitter]++;
        }
        assertThat(next).containsOnly(PER_EMITTER);
    }

    /** The sequence number of a hub-assigned id, {@code <start in base 36>-<sequence>}. */
    private static long sequenceOf(String eventId) {
        return Long.parseLong(eventId.substring(eventId.indexOf('-') + 1));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(TestTransport.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
