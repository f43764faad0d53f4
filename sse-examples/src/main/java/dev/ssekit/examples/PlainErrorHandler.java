package dev.ssekit.examples;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors made by Jetty itself, before any servlet runs (a malformed URI such as
 * {@code /events//stream}, oversized headers), as one line of plain text. Jetty's own page
 * repeats the request URI, query string included, and with it a {@code ?token=} the client
 * sent; this one repeats nothing from the request.
 */
final class PlainErrorHandler extends ErrorHandler {

    @Override
    protected void generateResponse(Request request, Response response, int code,
            String message, Throwable cause, Callback callback) {
        String text = code + " " + HttpStatus.getMessage(code)
                + ": the server could not read this request\n";
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), callback);
    }
}
