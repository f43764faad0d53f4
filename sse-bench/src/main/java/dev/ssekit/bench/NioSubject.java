package dev.ssekit.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The floor: plain NIO on one thread that answers any request with event-stream headers and
 * writes the same pre-encoded bytes to every socket, the frames queued meanwhile joined into one
 * write per socket (as ssekit coalesces). A socket whose unsent bytes pass the queue
 * limit, or that stays unwritable past the write timeout, is dropped. No HTTP beyond that.
 */
final class NioSubject implements Subject {

    private static final byte[] HEADERS = ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
            + "Cache-Control: no-store\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEARTBEAT = ":\n\n".getBytes(StandardCharsets.US_ASCII);

    private final ConcurrentLinkedQueue<byte[]> outbox = new ConcurrentLinkedQueue<>();
    private final List<Client> clients = new ArrayList<>();
    private volatile int open;
    private volatile long dropped;
    private volatile boolean running = true;
    private Selector selector;
    private ServerSocketChannel server;
    private Thread loop;
    private long heartbeatNanos;
    private long writeTimeoutNanos;
    private int maxUnsentBytes;
    private int sendBuffer;

    @Override
    public int start(SubjectConfig config) throws IOException {
        heartbeatNanos = config.heartbeat().toNanos();
        writeTimeoutNanos = config.writeTimeout().toNanos();
        maxUnsentBytes = config.maxQueuedEvents() * 128;
        sendBuffer = config.sendBuffer();
        selector = Selector.open();
        server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress("127.0.0.1", 0), 4096);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        loop = new Thread(this::run, "nio-floor");
        loop.start();
        return ((InetSocketAddress) server.getLocalAddress()).getPort();
    }

    @Override
    public void broadcast(long intendedNanos, long seq, int frameBytes) {
        outbox.add(BenchEvent.frame(intendedNanos, seq, frameBytes));
        selector.wakeup();
    }

    @Override
    public int openStreams() {
        return open;
    }

    @Override
    public long droppedSlow() {
        return dropped;
    }

    private void run() {
        long nextHeartbeat = System.nanoTime() + heartbeatNanos;
        try {
            while (running) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    handle(key);
                }
                selector.selectedKeys().clear();
                byte[] frames = takeOutbox();
                if (frames != null) {
                    sendToAll(frames, System.nanoTime());
                }
                long now = System.nanoTime();
                if (now >= nextHeartbeat) {
                    sendToAll(HEARTBEAT, now);
                    nextHeartbeat = now + heartbeatNanos;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("NIO floor failed", e);
        }
    }

    /** All frames queued since the last pass, joined: one write per socket, as ssekit does. */
    private byte[] takeOutbox() {
        byte[] first = outbox.poll();
        byte[] next = first == null ? null : outbox.poll();
        if (next == null) {
            return first;
        }
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        joined.writeBytes(first);
        for (; next != null; next = outbox.poll()) {
            joined.writeBytes(next);
        }
        return joined.toByteArray();
    }

    private void handle(SelectionKey key) throws IOException {
        if (!key.isValid()) {
            return;
        }
        if (key.isAcceptable()) {
            for (SocketChannel channel = server.accept(); channel != null;
                    channel = server.accept()) {
                channel.configureBlocking(false);
                if (sendBuffer > 0) {
                    channel.setOption(StandardSocketOptions.SO_SNDBUF, sendBuffer);
                }
                Client client = new Client(channel);
                client.key = channel.register(selector, SelectionKey.OP_READ, client);
            }
            return;
        }
        Client client = (Client) key.attachment();
        if (key.isReadable()) {
            client.read();
        }
        if (key.isValid() && key.isWritable()) {
            client.flush(System.nanoTime());
        }
    }

    private void sendToAll(byte[] frame, long now) {
        for (int i = clients.size() - 1; i >= 0; i--) {
            Client client = clients.get(i);
            client.send(frame, now);
        }
    }

    @Override
    public void close() throws Exception {
        running = false;
        selector.wakeup();
        loop.join(2000);
        for (SelectionKey key : selector.keys()) {
            key.channel().close();
        }
        selector.close();
    }

    /** One socket: its request bytes until the blank line, then its unsent tail, if any. */
    private final class Client {

        private final SocketChannel channel;
        private final ByteBuffer in = ByteBuffer.allocate(1024);
        private SelectionKey key;
        private ByteBuffer unsent;
        private long blockedSince;
        private boolean streaming;

        Client(SocketChannel channel) {
            this.channel = channel;
        }

        void read() {
            try {
                in.clear();
                int n = channel.read(in);
                if (n < 0) {
                    drop(false);
                    return;
                }
                if (!streaming && endsRequest()) {
                    streaming = true;
                    clients.add(this);
                    open = clients.size();
                    send(HEADERS, System.nanoTime());
                }
            } catch (IOException e) {
                drop(false);
            }
        }

        private boolean endsRequest() {
            int end = in.position();
            return end >= 4 && in.get(end - 4) == '\r' && in.get(end - 3) == '\n'
                    && in.get(end - 2) == '\r' && in.get(end - 1) == '\n';
        }

        void send(byte[] frame, long now) {
            if (unsent != null) {
                queue(ByteBuffer.wrap(frame), now);
                return;
            }
            ByteBuffer buffer = ByteBuffer.wrap(frame);
            try {
                channel.write(buffer);
            } catch (IOException e) {
                drop(false);
                return;
            }
            if (buffer.hasRemaining()) {
                blockedSince = now;
                queue(buffer, now);
                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            }
        }

        private void queue(ByteBuffer rest, long now) {
            int size = (unsent == null ? 0 : unsent.remaining()) + rest.remaining();
            if (size > maxUnsentBytes || now - blockedSince > writeTimeoutNanos) {
                drop(true);
                return;
            }
            ByteBuffer joined = ByteBuffer.allocate(size);
            if (unsent != null) {
                joined.put(unsent);
            }
            joined.put(rest).flip();
            unsent = joined;
        }

        void flush(long now) {
            try {
                channel.write(unsent);
            } catch (IOException e) {
                drop(false);
                return;
            }
            if (!unsent.hasRemaining()) {
                unsent = null;
                key.interestOps(SelectionKey.OP_READ);
            }
        }

        private void drop(boolean slow) {
            if (slow) {
                dropped++;
            }
            if (streaming) {
                clients.remove(this);
                open = clients.size();
            }
            streaming = false;
            key.cancel();
            try {
                channel.close();
            } catch (IOException e) {
                // Closing a socket that already failed: nothing more to release.
            }
        }
    }
}
