package dev.ssekit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssekit.testkit.EventStreamParser;
import dev.ssekit.testkit.EventStreamParser.ParsedEvent;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One event stream opened over real HTTP; a reader thread parses it with the test kit's
 * independent parser and queues each event. Every wait is bounded.
 */
final class EventStreamClient implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);

    private final BlockingQueue<ParsedEvent> events = new LinkedBlockingQueue<>();
    private final CountDownLatch registered = new CountDownLatch(1);
    private final CountDownLatch ended = new CountDownLatch(1);
    private final EventStreamParser parser = new EventStreamParser();
    private final InputStream body;

    private EventStreamClient(InputStream body, String name) {
        this.body = body;
        Thread reader = new Thread(this::read, "stream-reader-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Opens {@code uri} with the token as a bearer header (or none when {@code null}) and
     * waits until the stream is registered, which the server shows by writing {@code retry:}.
     */
    static EventStreamClient open(HttpClient http, URI uri, String token, String lastEventId)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Accept", "text/event-stream").timeout(WAIT).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response =
                http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).as("stream status of %s", uri).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).get().asString()
                .startsWith("text/event-stream");

        EventStreamClient client = new EventStreamClient(response.body(), uri.getQuery());
        assertThat(client.registered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .as("retry field at the start of the stream").isTrue();
        return client;
    }

    private void read() {
        byte[] buffer = new byte[8192];
        try (body) {
            int read;
            while ((read = body.read(buffer)) >= 0) {
                events.addAll(parser.feed(buffer, 0, read));
                if (parser.retryMillis() != null) {
                    registered.countDown();
                }
            }
        } catch (IOException closedByTest) {
            // The test closed the stream, or the server dropped it: both end the reading.
        } finally {
            ended.countDown();
        }
    }

    /** The next event, failing the test when none arrives within {@link #WAIT}. */
    ParsedEvent next() throws InterruptedException {
        ParsedEvent event = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(event).as("an event within %s", WAIT).isNotNull();
        return event;
    }

    /** The events before the first one matching {@code fence}, which is consumed too. */
    List<ParsedEvent> until(Predicate<ParsedEvent> fence) throws InterruptedException {
        List<ParsedEvent> before = new ArrayList<>();
        for (ParsedEvent event = next(); !fence.test(event); event = next()) {
            before.add(event);
        }
        return before;
    }

    /** Whether the server ended the response within {@link #WAIT}. */
    boolean awaitEnd() throws InterruptedException {
        return ended.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The last event id, as a browser would send it when reconnecting. */
    String lastEventId() {
        return parser.lastEventId();
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}
