package dev.ssekit.servlet;

import java.util.Enumeration;
import java.util.Locale;

/** Decides whether a request's {@code Accept} headers allow an event stream. Stateless. */
final class AcceptHeader {

    private AcceptHeader() {
    }

    /**
     * Whether {@code text/event-stream} is acceptable: no {@code Accept} header at all, or a
     * media range {@code text/event-stream}, {@code text/*} or {@code *}{@code /*} with a
     * quality above zero.
     */
    static boolean allowsEventStream(Enumeration<String> headers) {
        if (headers == null || !headers.hasMoreElements()) {
            return true;
        }
        while (headers.hasMoreElements()) {
            for (String range : headers.nextElement().split(",")) {
                if (accepts(range)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean accepts(String range) {
        String[] parts = range.split(";");
        String type = parts[0].strip().toLowerCase(Locale.ROOT);
        if (!type.equals("text/event-stream") && !type.equals("text/*") && !type.equals("*/*")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip().toLowerCase(Locale.ROOT);
            if (parameter.startsWith("q=")) {
                return quality(parameter.substring(2)) > 0;
            }
        }
        return true;
    }

    private static double quality(String value) {
        try {
            return Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            // A malformed weight is read as the default weight, 1, as lenient clients expect.
            return 1;
        }
    }
}
