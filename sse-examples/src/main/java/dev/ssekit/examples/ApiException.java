package dev.ssekit.examples;

import java.util.Map;
import java.util.Objects;

/**
 * A request that fails with a status and a message fit for the client; the servlet turns
 * it into a JSON error body {@code {"status": 400, "error": "..."}}, plus any headers the
 * status calls for ({@code Allow} on a 405, {@code WWW-Authenticate} on a 401).
 */
final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Map<String, String> headers;

    ApiException(int status, String message) {
        this(status, message, Map.of());
    }

    ApiException(int status, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
    }

    /** The HTTP status to answer with. */
    int status() {
        return status;
    }

    /** Response headers to send with the error; empty when none. */
    Map<String, String> headers() {
        return headers;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }
}
