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
 * until the hub closes the stream as slow and, at its next sweep, calls {@link #close()}.
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
     * <p>No {@link #write} starts after this method was called. When the stream closes while
     * a delivery thread is inside {@code write}, the hub calls this method once that call
     * returned; if it does not return (a transport that blocks), the hub's next sweep calls it
     * while the write is still under way.
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
