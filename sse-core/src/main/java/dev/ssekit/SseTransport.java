package dev.ssekit;

/**
 * The connection to one client, as a host provides it: the servlet adapter, a test, or any
 * other server implements it. The hub owns the order and the timing of writes; the transport
 * only moves bytes.
 *
 * <p>Threading contract: the hub calls {@link #write} from its delivery threads, never twice
 * at once for the same transport and never before the previous write's callback ran. A write
 * must not block: it starts the I/O and returns, and calls the callback exactly once, from any
 * thread (also from inside {@code write} itself), when the bytes have been handed to the client
 * connection or the write failed. A transport that blocks anyway holds one delivery thread
 * until the hub closes the stream as slow.
 */
public interface SseTransport {

    /**
     * Starts writing bytes and flushing them to the client.
     *
     * @param bytes the bytes to send; owned by the hub and shared between streams, so the
     *     transport must not modify them
     * @param callback told once when the write completes or fails
     */
    void write(byte[] bytes, WriteCallback callback);

    /**
     * Ends the response. Called once by the hub when the stream closes for any reason, from
     * any thread, possibly while a write is pending (whose callback the hub then ignores).
     * Must not block and must tolerate being called after the client went away.
     *
     * <p>The hub decides to write and to close on different threads without holding a lock
     * across the I/O, so when a close races with a delivery, one last {@link #write} may start
     * just after this method was called. The transport must then fail or drop that write, and
     * never pass its bytes to a response object the container may have recycled for another
     * request (a closed flag checked under the transport's own lock is enough).
     */
    void close();

    /** Told the outcome of one {@link SseTransport#write}. */
    interface WriteCallback {

        /** The bytes were written and flushed. */
        void onWritten();

        /** The write failed; the hub closes the stream as {@link CloseReason#CLIENT_GONE}. */
        void onFailed(Throwable cause);
    }
}
