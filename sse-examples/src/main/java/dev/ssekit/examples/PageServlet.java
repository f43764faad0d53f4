package dev.ssekit.examples;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Serves the demo page, {@code static/index.html} from the class path, at {@code /}; every
 * other path not claimed by another servlet gets a plain 404. The page is read once, at
 * construction. Thread-safe: the bytes are never changed.
 */
final class PageServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final String PAGE = "/static/index.html";

    private final byte[] page;

    PageServlet() {
        try (InputStream in = PageServlet.class.getResourceAsStream(PAGE)) {
            if (in == null) {
                throw new IllegalStateException("missing class path resource " + PAGE);
            }
            this.page = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + PAGE, e);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String path = request.getServletPath() + nullToEmpty(request.getPathInfo());
        if (!path.equals("/") && !path.equals("/index.html")) {
            response.setStatus(404);
            response.setContentType("text/plain");
            response.setCharacterEncoding("UTF-8");
            response.getOutputStream().write("not found\n".getBytes(StandardCharsets.UTF_8));
            return;
        }

        response.setContentType("text/html");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Content-Security-Policy", "default-src 'self'; "
                + "script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'");
        response.setContentLength(page.length);
        response.getOutputStream().write(page);
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
