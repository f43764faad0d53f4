package dev.ssekit.examples;

/**
 * An API request that fails with a status and a message fit for the client; the servlet turns
 * it into a JSON error body {@code {"status": 400, "error": "..."}}.
 */
final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** The HTTP status to answer with. */
    int status() {
        return status;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }
}
