package dev.ssekit.servlet;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes the short answers of the servlet: plain-text errors and JSON bodies. Never uses
 * {@code sendError}, so no container error page (which may show server details) is served.
 * Stateless and thread-safe.
 */
final class HttpAnswers {

    private HttpAnswers() {
    }

    /** Answers with a status and one line of text, for example {@code token expired\n}. */
    static void text(HttpServletResponse response, int status, String message)
            throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** Answers with a status and a JSON body. */
    static void json(HttpServletResponse response, int status, ObjectMapper mapper, Object body)
            throws IOException {
        byte[] bytes = mapper.writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /**
     * Answers 401 with a {@code WWW-Authenticate: Bearer} challenge (RFC 6750). Without a
     * credential the challenge is bare; with a rejected one it carries
     * {@code error="invalid_token"} and the reason.
     */
    static void unauthorized(HttpServletResponse response, boolean credentialGiven,
            String reason) throws IOException {
        String challenge = credentialGiven
                ? "Bearer error=\"invalid_token\", error_description=\"" + quotable(reason) + "\""
                : "Bearer";
        response.setHeader("WWW-Authenticate", challenge);
        text(response, HttpServletResponse.SC_UNAUTHORIZED, reason);
    }

    /** Keeps the printable ASCII of a message, without quotes or backslashes. */
    static String quotable(String message) {
        StringBuilder out = new StringBuilder(message.length());
        for (int i = 0; i < message.length() && out.length() < 200; i++) {
            char c = message.charAt(i);
            if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
                out.append(c);
            }
        }
        return out.toString();
    }
}
