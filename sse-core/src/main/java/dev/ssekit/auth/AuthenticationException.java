package dev.ssekit.auth;

/**
 * Thrown when a credential does not authenticate a user. The message says why in words fit for
 * the client (for example "token expired") and never contains the token or a secret.
 */
public final class AuthenticationException extends Exception {

    /** Creates the exception with a client-safe message. */
    public AuthenticationException(String message) {
        super(message, null, false, false);
    }

    /** Creates the exception with a client-safe message and the underlying cause. */
    public AuthenticationException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
