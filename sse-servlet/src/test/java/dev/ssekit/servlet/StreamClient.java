package dev.ssekit.servlet;

import dev.ssekit.testkit.EventStreamParser;
import dev.ssekit.testkit.EventStreamParser.ParsedEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test client for one event stream over {@link HttpClient}: a daemon thread reads the body
 * as it arrives, keeps the raw bytes, and feeds the independent {@link EventStreamParser}.
 */
final class StreamClient implements AutoCloseable {

    private final HttpResponse<InputStream> response;
    private final ByteArrayOutputStream raw = new ByteArrayOutputStream();
    private final BlockingQueue<ParsedEvent> events = new LinkedBlockingQueue<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final EventStreamParser parser = new EventStreamParser();

    private StreamClient(HttpResponse<InputStream> response) {
        this.response = response;
        if (response.statusCode() == 200) {
            Thread reader = new Thread(this::read, "test-stream-reader");
            reader.setDaemon(true);
            reader.start();
        }
    }

    /** Sends a GET and returns once the status and headers arrived. */
    static StreamClient open(HttpClient client, URI uri, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(5)).GET();
        headers.forEach(request::header);
        return new StreamClient(client.send(request.build(),
                HttpResponse.BodyHandlers.ofInputStream()));
    }

    HttpResponse<InputStream> response() {
        return response;
    }

    int status() {
        return response.statusCode();
    }

    String header(String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** The whole body of a non-streaming answer. */
    String body() throws IOException {
        try (InputStream in = response.body()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The text received so far. */
    String received() {
        synchronized (raw) {
            return raw.toString(StandardCharsets.UTF_8);
        }
    }

    /** Waits for the next dispatched event; {@code null} after the timeout. */
    ParsedEvent nextEvent(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits for {@code count} events; fails with what arrived if they do not come in time. */
    List<ParsedEvent> nextEvents(int count, Duration timeout) throws InterruptedException {
        List<ParsedEvent> taken = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (taken.size() < count) {
            long left = deadline - System.nanoTime();
            ParsedEvent event = events.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new AssertionError("got " + taken.size() + " of " + count
                        + " events in " + timeout + ": " + taken);
            }
            taken.add(event);
        }
        return taken;
    }

    /** Whether the server ended the body within the timeout. */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void read() {
        byte[] buffer = new byte[8192];
        try (InputStream in = response.body()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (raw) {
                    raw.write(buffer, 0, n);
                }
                events.addAll(parser.feed(buffer, 0, n));
            }
        } catch (IOException e) {
            // The connection ended abruptly: for these tests, the same as an end of stream.
            ended.countDown();
        } finally {
            ended.countDown();
        }
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException e) {
            // Closing a stream the server already ended; nothing is left to release.
            ended.countDown();
        }
    }
}
