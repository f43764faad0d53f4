package dev.ssekit;

/**
 * Thrown when a client's event-type selection cannot be parsed; the message says what is wrong
 * and is safe to show to the client. Adapters answer it with 400 Bad Request.
 */
public final class InvalidFilterException extends IllegalArgumentException {

    /** Creates the exception with a message fit for the client. */
    public InvalidFilterException(String message) {
        super(message);
    }
}
