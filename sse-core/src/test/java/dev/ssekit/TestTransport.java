package dev.ssekit;

import static org.awaitility.Awaitility.await;

import dev.ssekit.testkit.EventStreamParser;
import dev.ssekit.testkit.EventStreamParser.ParsedEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@link SseTransport} that records what a client would receive. Its
 * {@link Mode} says how writes complete, and may change while the stream is open. It also
 * counts breaches of the transport contract (a write before the previous one completed, a
 * second close) so that tests can assert the hub keeps it.
 */
final class TestTransport implements SseTransport {

    /** How a write completes. */
    enum Mode {
        /** Records the bytes and calls back inside {@code write}. */
        SYNC,
        /** Records the bytes and calls back later from another thread. */
        ASYNC,
        /** Accepts the write and never calls back: a client that stopped reading. */
        NEVER,
        /** Blocks inside {@code write} until the transport is closed or interrupted. */
        BLOCK,
        /** Blocks inside {@code write} until interrupted, ignoring {@link #close()}. */
        BLOCK_IGNORING_CLOSE,
        /** Fails the write: the client went away. */
        FAIL,
        /**
         * Accepts one more write, then fails every later one: a client that closed its
         * connection in order, on a container that does not read (Jetty), where the first write
         * after the close still succeeds.
         */
        HALF_CLOSED,
        /** Throws from {@code write} and from {@code close}: a buggy transport. */
        THROW
    }

    static final Duration WAIT = Duration.ofSeconds(10);

    private static final ExecutorService COMPLETER = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "test-async-completer");
        thread.setDaemon(true);
        return thread;
    });

    private final Object lock = new Object();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final List<byte[]> writes = new ArrayList<>();
    private final List<WriteCallback> neverCompleted = new ArrayList<>();
    private final AtomicInteger writesInFlight = new AtomicInteger();
    private final AtomicInteger contractBreaches = new AtomicInteger();
    private final AtomicInteger closes = new AtomicInteger();
    private final AtomicInteger writesAfterClose = new AtomicInteger();
    private final CountDownLatch blockedInWrite = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Mode mode;

    TestTransport(Mode mode) {
        this.mode = mode;
    }

    void mode(Mode mode) {
        this.mode = mode;
    }

    @Override
    public void write(byte[] bytes, WriteCallback callback) {
        if (closes.get() > 0) {
            writesAfterClose.incrementAndGet();
        }
        if (writesInFlight.incrementAndGet() != 1) {
            contractBreaches.incrementAndGet();
        }
        switch (mode) {
            case SYNC -> {
                record(bytes);
                complete(callback);
            }
            case ASYNC -> {
                record(bytes);
                COMPLETER.execute(() -> complete(callback));
            }
            case NEVER -> {
                synchronized (lock) {
                    neverCompleted.add(callback);
                }
            }
            case BLOCK -> block(callback, true);
            case BLOCK_IGNORING_CLOSE -> block(callback, false);
            case FAIL -> {
                writesInFlight.decrementAndGet();
                callback.onFailed(new IOException("broken pipe (test)"));
            }
            case HALF_CLOSED -> {
                mode = Mode.FAIL;
                record(bytes);
                complete(callback);
            }
            case THROW -> {
                writesInFlight.decrementAndGet();
                throw new IllegalStateException("transport bug in write (test)");
            }
            default -> throw new IllegalStateException("unknown mode " + mode);
        }
    }

    private void record(byte[] bytes) {
        synchronized (lock) {
            writes.add(bytes);
            received.writeBytes(bytes);
        }
    }

    private void complete(WriteCallback callback) {
        writesInFlight.decrementAndGet();
        callback.onWritten();
    }

    private void block(WriteCallback callback, boolean releasedByClose) {
        blockedInWrite.countDown();
        try {
            if (releasedByClose) {
                closed.await();
            } else {
                new CountDownLatch(1).await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writesInFlight.decrementAndGet();
        callback.onFailed(new IOException("connection closed while writing (test)"));
    }

    @Override
    public void close() {
        if (closes.incrementAndGet() > 1) {
            contractBreaches.incrementAndGet();
        }
        closed.countDown();
        if (mode == Mode.THROW) {
            throw new IllegalStateException("transport bug in close (test)");
        }
    }

    /** Everything written so far, as UTF-8 text. */
    String text() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    byte[] bytes() {
        synchronized (lock) {
            return received.toByteArray();
        }
    }

    /** The byte arrays handed to {@link #write}, in order (the hub's own arrays, not copies). */
    List<byte[]> writes() {
        synchronized (lock) {
            return List.copyOf(writes);
        }
    }

    /** The events a spec-conformant client parsed from everything written so far. */
    List<ParsedEvent> events() {
        return new EventStreamParser().feed(bytes());
    }

    /** Waits (bounded) until a client parsed at least {@code count} events; returns them all. */
    List<ParsedEvent> awaitEvents(int count) {
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2)).atMost(WAIT)
                .until(() -> events().size() >= count);
        return events();
    }

    /** Waits (bounded) until the transport completed at least {@code count} writes. */
    void awaitWrites(int count) {
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(WAIT)
                .until(() -> writes().size() >= count);
    }

    /** Waits (bounded) until the text received ends with the given suffix. */
    void awaitTextEndingWith(String suffix) {
        await().atMost(WAIT).until(() -> text().endsWith(suffix));
    }

    boolean awaitBlockedInWrite() throws InterruptedException {
        return blockedInWrite.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    void awaitClosed() throws InterruptedException {
        if (!closed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("transport was not closed within " + WAIT);
        }
    }

    /** Writes started after {@link #close()} was called. */
    int writesAfterClose() {
        return writesAfterClose.get();
    }

    int closes() {
        return closes.get();
    }

    /** Writes the hub started before the previous one completed, plus repeated closes. */
    int contractBreaches() {
        return contractBreaches.get();
    }
}
