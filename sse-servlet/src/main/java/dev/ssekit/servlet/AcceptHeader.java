package dev.ssekit.servlet;

import java.util.Enumeration;
import java.util.Locale;

/** Decides whether a request's {@code Accept} headers allow an event stream. Stateless. */
final class AcceptHeader {

    private AcceptHeader() {
    }

    /**
     * Whether {@code text/event-stream} is acceptable: no {@code Accept} header at all, or a
     * quality above zero on the most specific media range that covers it
     * ({@code text/event-stream}, then {@code text/*}, then {@code *}{@code /*}), as RFC 9110
     * section 12.5.1 says; so {@code text/event-stream;q=0, *}{@code /*} refuses it.
     */
    static boolean allowsEventStream(Enumeration<String> headers) {
        if (headers == null || !headers.hasMoreElements()) {
            return true;
        }
        int bestSpecificity = -1;
        double quality = 0;
        while (headers.hasMoreElements()) {
            for (String range : headers.nextElement().split(",")) {
                String[] parts = range.split(";");
                if (parts.length == 0) {
                    continue;
                }
                int specificity = specificity(parts[0].strip().toLowerCase(Locale.ROOT));
                if (specificity > bestSpecificity) {
                    bestSpecificity = specificity;
                    quality = quality(parts);
                }
            }
        }
        return bestSpecificity >= 0 && quality > 0;
    }

    /** 2 for the exact type, 1 for {@code text/*}, 0 for any type, -1 if it does not cover. */
    private static int specificity(String type) {
        switch (type) {
            case "text/event-stream":
                return 2;
            case "text/*":
                return 1;
            case "*/*":
                return 0;
            default:
                return -1;
        }
    }

    private static double quality(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip().toLowerCase(Locale.ROOT);
            if (parameter.startsWith("q=")) {
                return quality(parameter.substring(2));
            }
        }
        return 1;
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
