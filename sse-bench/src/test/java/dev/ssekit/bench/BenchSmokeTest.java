package dev.ssekit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the harness end to end with tiny numbers so that it never rots: a real subject on
 * Jetty (or the NIO floor), the real load generator, a short broadcast. Asserts what the
 * generator received, never timing.
 */
class BenchSmokeTest {

    private static final SubjectConfig CONFIG = SubjectConfig.of(5_000, 5_000, 512, 0);
    private static final int STREAMS = 20;
    private static final int EVENTS = 5;

    @ParameterizedTest
    @ValueSource(strings = {"ssekit", "ssekit-adapter", "jetty", "nio"})
    void everyStreamReceivesEveryBroadcastEvent(String subject) throws Exception {
        try (ServerHandle server = ServerHandle.inProcess(subject, CONFIG);
                LoadGenerator generator = new LoadGenerator(server.address(),
                        server.call("PATH"), 2, 2)) {
            generator.open(STREAMS, false, Duration.ofSeconds(20));
            generator.startRun(EVENTS);

            String done = server.call("BROADCAST 50 " + EVENTS + " 100");
            LoadGenerator.RunResult result = awaitAll(generator);

            assertThat(done).startsWith("DONE " + EVENTS);
            assertThat(server.openStreams()).isEqualTo(STREAMS);
            assertThat(result.healthy()).isEqualTo(STREAMS);
            assertThat(result.delivered()).isEqualTo((long) STREAMS * EVENTS);
            assertThat(result.missing()).isZero();
            assertThat(result.incomplete()).isZero();
            assertThat(result.latency().getTotalCount()).isEqualTo((long) STREAMS * EVENTS);
            assertThat(result.completion().getTotalCount()).isEqualTo(EVENTS);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ssekit", "nio"})
    void serverReportsMemoryAndForgetsKilledClients(String subject) throws Exception {
        SubjectConfig quickHeartbeat = SubjectConfig.of(1_000, 5_000, 512, 0);
        try (ServerHandle server = ServerHandle.inProcess(subject, quickHeartbeat);
                LoadGenerator generator = new LoadGenerator(server.address(),
                        server.call("PATH"), 1, 1)) {
            generator.open(STREAMS, false, Duration.ofSeconds(20));

            String memory = server.call("MEMORY");
            generator.kill(5);

            assertThat(memory).matches(
                    "heap=\\d+ committed=\\d+ direct=\\d+ rss=\\d+ threads=\\d+ streams=20");
            assertThat(generator.established()).isEqualTo(STREAMS - 5);
            // Heartbeats every second find the reset sockets.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> server.openStreams() == STREAMS - 5);
        }
    }

    private static LoadGenerator.RunResult awaitAll(LoadGenerator generator) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> generator.delivered() >= (long) STREAMS * EVENTS);
        return generator.result(EVENTS);
    }
}
