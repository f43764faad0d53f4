package dev.ssekit.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * The load generator: a few selector threads, each owning its sockets, that open real HTTP
 * event streams on loopback (bound to several local addresses 127.0.0.2, 127.0.0.3, ...), decode
 * chunked bodies and pick each event's due time and sequence number out of its payload.
 *
 * <p>The receive path allocates nothing per event: one direct buffer per thread, a small state
 * machine per socket, and fixed arrays per run. Latency is recorded from the due time in the
 * payload, so a stalled server shows up in full (coordinated omission).
 *
 * <p>Threading: each {@link Receiver} thread owns its sockets and counters; other threads talk
 * to it only through its command queue.
 */
final class LoadGenerator implements AutoCloseable {

    /** Latency histograms record microseconds up to this. */
    static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(10);

    private final Receiver[] receivers;
    private int nextReceiver;

    LoadGenerator(InetSocketAddress server, String path, int threads, int sourceAddresses) {
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Accept: text/event-stream\r\nAuthorization: Bearer bench\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        receivers = new Receiver[threads];
        for (int i = 0; i < threads; i++) {
            receivers[i] = new Receiver(i, server, request, sourceAddresses);
            receivers[i].start();
        }
    }

    /**
     * Opens {@code count} more streams and waits until each answered 200 with its headers.
     * Slow streams get a 4 KB receive buffer so that they back up quickly once they stop reading.
     */
    void open(int count, boolean slow, Duration timeout) {
        int[] share = new int[receivers.length];
        for (int i = 0; i < count; i++) {
            share[nextReceiver++ % receivers.length]++;
        }
        int target = established() + count;
        for (int i = 0; i < receivers.length; i++) {
            int n = share[i];
            receivers[i].call(r -> r.requestOpen(n, slow));
        }

        long deadline = System.nanoTime() + timeout.toNanos();
        while (established() < target) {
            if (failed() > 0) {
                throw new IllegalStateException(failed() + " streams were refused");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + established() + " of " + target
                        + " streams opened within " + timeout);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /** Streams that answered 200 and are not known to be closed. */
    int established() {
        int sum = 0;
        for (Receiver receiver : receivers) {
            sum += receiver.established;
        }
        return sum;
    }

    private int failed() {
        int sum = 0;
        for (Receiver receiver : receivers) {
            sum += receiver.failed;
        }
        return sum;
    }

    /** Events received by healthy streams since the last {@link #startRun}. */
    long delivered() {
        long sum = 0;
        for (Receiver receiver : receivers) {
            sum += receiver.deliveredSoFar;
        }
        return sum;
    }

    /** Healthy streams: open, reading, and not killed. */
    int healthy() {
        int sum = 0;
        for (Receiver receiver : receivers) {
            sum += receiver.call(Receiver::healthyCount);
        }
        return sum;
    }

    /** Starts recording a run of {@code events} events, forgetting the previous run. */
    void startRun(int events) {
        for (Receiver receiver : receivers) {
            receiver.call(r -> r.reset(events));
        }
    }

    /** What the healthy streams received in the current run, merged over the threads. */
    RunResult result(int events) {
        Histogram latency = new Histogram(HIGHEST_MICROS, 3);
        long[] last = new long[events];
        long[] due = new long[events];
        int[] reached = new int[events];
        long delivered = 0;
        long missing = 0;
        int healthy = 0;
        for (Receiver receiver : receivers) {
            Receiver.Snapshot part = receiver.call(Receiver::snapshot);
            latency.add(part.latency());
            for (int seq = 0; seq < events; seq++) {
                last[seq] = Math.max(last[seq], part.last()[seq]);
                due[seq] = Math.max(due[seq], part.due()[seq]);
                reached[seq] += part.reached()[seq];
            }
            delivered += part.delivered();
            missing += part.missing();
            healthy += part.healthy();
        }

        Histogram completion = new Histogram(HIGHEST_MICROS, 3);
        int incomplete = 0;
        for (int seq = 0; seq < events; seq++) {
            if (reached[seq] < healthy) {
                incomplete++;
            } else {
                long micros = Math.max(0, (last[seq] - due[seq]) / 1000);
                completion.recordValue(Math.min(micros, HIGHEST_MICROS));
            }
        }
        return new RunResult(events, healthy, delivered, missing, incomplete, latency,
                completion, 0, 0);
    }

    /** The slow streams stop reading; their sockets stay open. */
    void stopReadingSlow() {
        for (Receiver receiver : receivers) {
            receiver.call(Receiver::stopReadingSlow);
        }
    }

    /** Resets {@code count} healthy streams at once (RST, as a crashed client's kernel does). */
    void kill(int count) {
        int left = count;
        for (int i = 0; i < receivers.length; i++) {
            int share = i == receivers.length - 1 ? left : count / receivers.length;
            left -= share;
            receivers[i].call(r -> r.kill(share));
        }
    }

    @Override
    public void close() {
        for (Receiver receiver : receivers) {
            receiver.call(Receiver::shutdown);
        }
    }

    /** The merged figures of one run. */
    record RunResult(int events, int healthy, long delivered, long missing, int incomplete,
            Histogram latency, Histogram completion, long serverCpuNanos,
            long generatorCpuNanos) {

        /** The same result with the CPU time both processes spent on the run. */
        RunResult withCpu(long server, long generator) {
            return new RunResult(events, healthy, delivered, missing, incomplete, latency,
                    completion, server, generator);
        }
    }

    /** One selector thread and the sockets it owns. */
    static final class Receiver extends Thread {

        private final InetSocketAddress server;
        private final byte[] request;
        private final int sourceAddresses;
        private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
        private final List<Stream> streams = new ArrayList<>();
        private final Selector selector;

        // Read by other threads as progress figures.
        volatile int established;
        volatile int failed;
        volatile long deliveredSoFar;

        // Owned by this thread.
        private int toOpen;
        private boolean openSlow;
        private int handshaking;
        private int opened;
        private boolean running = true;
        private Histogram latency = new Histogram(HIGHEST_MICROS, 3);
        private long[] last = new long[0];
        private long[] due = new long[0];
        private int[] reached = new int[0];
        private long delivered;

        Receiver(int index, InetSocketAddress server, byte[] request, int sourceAddresses) {
            super("loadgen-" + index);
            setDaemon(true);
            this.server = server;
            this.request = request;
            this.sourceAddresses = sourceAddresses;
            try {
                this.selector = Selector.open();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Runs {@code action} on this thread and returns its result. */
        <T> T call(Function<Receiver, T> action) {
            CompletableFuture<T> result = new CompletableFuture<>();
            commands.add(() -> {
                try {
                    result.complete(action.apply(this));
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
            selector.wakeup();
            try {
                return result.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("load generator thread did not answer", e);
            }
        }

        @Override
        public void run() {
            try {
                while (running) {
                    selector.select(50);
                    for (Runnable command = commands.poll(); command != null;
                            command = commands.poll()) {
                        command.run();
                    }
                    openMore();
                    long now = System.nanoTime();
                    for (SelectionKey key : selector.selectedKeys()) {
                        handle(key, now);
                    }
                    selector.selectedKeys().clear();
                    deliveredSoFar = delivered;
                }
                for (Stream stream : streams) {
                    stream.channel.close();
                }
                selector.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Void requestOpen(int count, boolean slow) {
            toOpen += count;
            openSlow = slow;
            return null;
        }

        /** Keeps a bounded number of handshakes in flight so the accept queue never overflows. */
        private void openMore() throws IOException {
            while (toOpen > 0 && handshaking < 64) {
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                if (openSlow) {
                    channel.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
                }
                String local = "127.0.0." + (2 + opened++ % sourceAddresses);
                channel.bind(new InetSocketAddress(local, 0));
                Stream stream = new Stream(channel, openSlow);
                stream.key = channel.register(selector, SelectionKey.OP_CONNECT, stream);
                if (channel.connect(server)) {
                    connected(stream);
                }
                streams.add(stream);
                toOpen--;
                handshaking++;
            }
        }

        private void connected(Stream stream) throws IOException {
            stream.channel.write(ByteBuffer.wrap(request));
            stream.key.interestOps(SelectionKey.OP_READ);
        }

        private void handle(SelectionKey key, long now) {
            Stream stream = (Stream) key.attachment();
            try {
                if (key.isConnectable()) {
                    stream.channel.finishConnect();
                    connected(stream);
                } else if (key.isReadable()) {
                    read(stream, now);
                }
            } catch (IOException e) {
                lost(stream);
            }
        }

        private void read(Stream stream, long now) throws IOException {
            buffer.clear();
            int n = stream.channel.read(buffer);
            if (n < 0) {
                lost(stream);
                return;
            }
            for (int i = 0; i < n; i++) {
                byte b = buffer.get(i);
                if (!stream.headersDone) {
                    header(stream, b);
                } else if (stream.chunked) {
                    chunked(stream, b, now);
                } else {
                    body(stream, b, now);
                }
            }
        }

        private void header(Stream stream, byte b) {
            int at = stream.headerBytes++;
            if (at >= 9 && at <= 11 && b >= '0' && b <= '9') {
                stream.status = stream.status * 10 + (b - '0');
            }
            int lower = b | 0x20;
            if (lower == CHUNKED[stream.chunkedMatch]) {
                stream.chunkedMatch++;
                if (stream.chunkedMatch == CHUNKED.length) {
                    stream.chunked = true;
                    stream.chunkedMatch = 0;
                }
            } else {
                stream.chunkedMatch = lower == CHUNKED[0] ? 1 : 0;
            }
            stream.lastFour = (stream.lastFour << 8) | (b & 0xff);
            if (stream.lastFour == 0x0d0a0d0a) {
                headersEnded(stream);
            }
        }

        private void headersEnded(Stream stream) {
            stream.headersDone = true;
            handshaking--;
            if (stream.status == 200) {
                established++;
                stream.healthy = true;
            } else {
                failed++;
                close(stream);
            }
        }

        private void chunked(Stream stream, byte b, long now) {
            switch (stream.chunkState) {
                case CHUNK_SIZE -> {
                    int digit = Character.digit(b, 16);
                    if (digit >= 0 && !stream.sizeEnded) {
                        stream.chunkLeft = stream.chunkLeft * 16 + digit;
                    } else if (b == '\n') {
                        stream.chunkState = stream.chunkLeft == 0 ? CHUNK_END : CHUNK_DATA;
                        stream.sizeEnded = false;
                    } else {
                        stream.sizeEnded = true;
                    }
                }
                case CHUNK_DATA -> {
                    body(stream, b, now);
                    if (--stream.chunkLeft == 0) {
                        stream.chunkState = CHUNK_TRAILER;
                    }
                }
                case CHUNK_TRAILER -> {
                    if (b == '\n') {
                        stream.chunkState = CHUNK_SIZE;
                    }
                }
                default -> {
                    // The last chunk: the server ended the stream; the close follows.
                }
            }
        }

        /** Finds {@code @<due>;<seq>;} in the event bytes. */
        private void body(Stream stream, byte b, long now) {
            switch (stream.scan) {
                case SCAN_IDLE -> {
                    if (b == '@') {
                        stream.scan = SCAN_DUE;
                        stream.due = 0;
                    }
                }
                case SCAN_DUE -> {
                    if (b >= '0' && b <= '9') {
                        stream.due = stream.due * 10 + (b - '0');
                    } else if (b == ';') {
                        stream.scan = SCAN_SEQ;
                        stream.seq = 0;
                    } else {
                        stream.scan = SCAN_IDLE;
                    }
                }
                default -> {
                    if (b >= '0' && b <= '9') {
                        stream.seq = stream.seq * 10 + (b - '0');
                    } else {
                        if (b == ';') {
                            received(stream, now);
                        }
                        stream.scan = SCAN_IDLE;
                    }
                }
            }
        }

        private void received(Stream stream, long now) {
            if (!stream.healthy) {
                return;
            }
            int seq = (int) stream.seq;
            long micros = Math.max(0, (now - stream.due) / 1000);
            latency.recordValue(Math.min(micros, HIGHEST_MICROS));
            stream.received++;
            delivered++;
            if (seq >= 0 && seq < last.length) {
                last[seq] = Math.max(last[seq], now);
                due[seq] = stream.due;
                reached[seq]++;
            }
        }

        private void lost(Stream stream) {
            if (stream.headersDone && stream.status == 200 && !stream.closed) {
                established--;
            } else if (!stream.headersDone) {
                handshaking--;
                failed++;
            }
            close(stream);
        }

        private void close(Stream stream) {
            stream.healthy = false;
            stream.closed = true;
            stream.key.cancel();
            try {
                stream.channel.close();
            } catch (IOException e) {
                // Already reset: nothing more to release.
            }
        }

        Integer healthyCount() {
            int count = 0;
            for (Stream stream : streams) {
                count += stream.healthy ? 1 : 0;
            }
            return count;
        }

        Void reset(int events) {
            latency = new Histogram(HIGHEST_MICROS, 3);
            last = new long[events];
            due = new long[events];
            reached = new int[events];
            delivered = 0;
            deliveredSoFar = 0;
            for (Stream stream : streams) {
                stream.received = 0;
            }
            return null;
        }

        Snapshot snapshot() {
            long missing = 0;
            int healthy = 0;
            for (Stream stream : streams) {
                if (stream.healthy) {
                    healthy++;
                    missing += Math.max(0, last.length - stream.received);
                }
            }
            return new Snapshot(latency.copy(), last.clone(), due.clone(), reached.clone(),
                    delivered, missing, healthy);
        }

        Void stopReadingSlow() {
            for (Stream stream : streams) {
                if (stream.slow && !stream.closed) {
                    stream.healthy = false;
                    stream.key.interestOps(0);
                }
            }
            return null;
        }

        Void kill(int count) {
            int killed = 0;
            for (Stream stream : streams) {
                if (killed == count) {
                    break;
                }
                if (stream.healthy && !stream.slow) {
                    try {
                        stream.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                    } catch (IOException e) {
                        // Closing still works, with a FIN instead of a reset.
                    }
                    close(stream);
                    established--;
                    killed++;
                }
            }
            return null;
        }

        Void shutdown() {
            running = false;
            return null;
        }

        /** What one thread recorded. */
        record Snapshot(Histogram latency, long[] last, long[] due, int[] reached,
                long delivered, long missing, int healthy) {
        }
    }

    private static final byte[] CHUNKED = "chunked".getBytes(StandardCharsets.US_ASCII);
    private static final int CHUNK_SIZE = 0;
    private static final int CHUNK_DATA = 1;
    private static final int CHUNK_TRAILER = 2;
    private static final int CHUNK_END = 3;
    private static final int SCAN_IDLE = 0;
    private static final int SCAN_DUE = 1;
    private static final int SCAN_SEQ = 2;

    /** The parse state of one socket. */
    private static final class Stream {

        final SocketChannel channel;
        final boolean slow;
        SelectionKey key;
        boolean headersDone;
        boolean chunked;
        boolean healthy;
        boolean closed;
        boolean sizeEnded;
        int headerBytes;
        int status;
        int chunkedMatch;
        int lastFour;
        int chunkState;
        long chunkLeft;
        int scan;
        long due;
        long seq;
        long received;

        Stream(SocketChannel channel, boolean slow) {
            this.channel = channel;
            this.slow = slow;
        }
    }
}
