package dev.ssekit;

import java.util.function.Consumer;

/**
 * A handle on one open event stream, returned by {@link SseHub#open}. All methods are safe to
 * call from any thread and never block.
 */
public interface SseStream {

    /** The hub-assigned id of this stream, used in logs and statistics. */
    String id();

    /** The id of the user the stream belongs to. */
    String userId();

    /** Whether the stream is still registered and receiving events. */
    boolean isOpen();

    /**
     * Registers a listener run exactly once when the stream closes, with the reason; run at
     * once if the stream is already closed. A listener that throws is logged and ignored.
     */
    void onClose(Consumer<CloseReason> listener);

    /**
     * Tells the hub the client went away (for adapters: a disconnect seen by the container).
     * Closes the stream as {@link CloseReason#CLIENT_GONE}. Idempotent.
     */
    void clientDisconnected();

    /** Closes the stream as {@link CloseReason#CLOSED_BY_SERVER}. Idempotent. */
    void close();
}
