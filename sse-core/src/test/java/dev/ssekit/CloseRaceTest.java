package dev.ssekit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Closing a stream while events are being delivered to it. */
class CloseRaceTest extends HubTestBase {

    @Test
    void noWriteStartsAfterTheTransportWasClosed() throws Exception {
        SseHub hub = start(threadedHub().maxQueuedEvents(1_000_000).maxStreamsPerUser(1000));
        AtomicBoolean emitting = new AtomicBoolean(true);
        Thread emitter = new Thread(() -> {
            while (emitting.get()) {
                hub.emit("t", "x");
            }
        }, "test-emitter");
        emitter.start();
        List<TestTransport> clients = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            TestTransport client = transport(TestTransport.Mode.SYNC);
            SseStream stream = open(hub, "ada", client);
            clients.add(client);
            client.awaitWrites(2);
            stream.close();
        }
        emitting.set(false);
        emitter.join(TestTransport.WAIT.toMillis());
        hub.close();

        int writesAfterClose = clients.stream().mapToInt(TestTransport::writesAfterClose).sum();
        assertThat(writesAfterClose).isZero();
    }
}
