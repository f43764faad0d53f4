package dev.ssekit.examples;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides whether a {@code Host} header names this machine's loopback interface:
 * {@code localhost}, an IPv4 address {@code 127.x.x.x} or the IPv6 address {@code [::1]},
 * with or without a port.
 *
 * <p>Why: the demo listens on 127.0.0.1 and hands out tokens without a password. A web page
 * on another site could point its own DNS name at 127.0.0.1 ("DNS rebinding") and call the
 * API from the victim's browser; the browser then sends that foreign name as {@code Host}.
 * Names are compared literally and never resolved, so a name like {@code 127.0.0.1.evil.test}
 * does not pass. Stateless and thread-safe.
 */
final class LoopbackHost {

    private static final Set<String> NAMES =
            Set.of("localhost", "[::1]", "[0:0:0:0:0:0:0:1]");
    private static final Pattern IPV4_LOOPBACK = Pattern.compile(
            "127(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Pattern PORT = Pattern.compile("[0-9]{0,5}");

    private LoopbackHost() {
    }

    /**
     * Whether {@code hostHeader} names a loopback host.
     *
     * @param hostHeader the header's value, for example {@code 127.0.0.1:8080}; {@code null}
     *     is not loopback
     */
    static boolean isLoopback(String hostHeader) {
        if (hostHeader == null) {
            return false;
        }
        String value = hostHeader.strip().toLowerCase(Locale.ROOT);
        int portStart = value.startsWith("[") ? value.indexOf("]:") + 1 : value.indexOf(':');
        String host = portStart > 0 ? value.substring(0, portStart) : value;
        String port = portStart > 0 ? value.substring(portStart + 1) : "";

        boolean loopback = NAMES.contains(host) || IPV4_LOOPBACK.matcher(host).matches();
        return loopback && PORT.matcher(port).matches();
    }
}
