package dev.ssekit.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ssekit.SseEvent;
import dev.ssekit.SseHub;
import dev.ssekit.auth.JwtAuthenticator;
import dev.ssekit.testkit.TestClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Requests a careless or hostile client sends, first found by a review that tried to break the
 * servlet: raw bytes on a socket, so nothing in a client library tidies them up. Each test
 * states the behaviour the documentation promises; subclasses run them on each container.
 */
abstract class HostileClientContract {

    private static final String RETRY = "retry: 3000\n\n";

    private final TestClock clock = TestClock.offsetFromSystem();
    private final Tokens tokens = new Tokens(clock);
    private final List<Socket> sockets = new ArrayList<>();
    private SseHub hub;
    private ServletContainer container;
    private int port;

    private void start(int maxStreamsPerUser, JwtAuthenticator authenticator) throws Exception {
        hub = SseHub.builder()
                .clock(clock)
                .heartbeatInterval(Duration.ofSeconds(30))
                .sweepInterval(Duration.ofMillis(50))
                .maxStreamsPerUser(maxStreamsPerUser)
                .shutdownGrace(Duration.ZERO)
                .deliveryThreads(2)
                .build();
        container = newContainer();
        port = container.start(SseServlet.builder(hub, authenticator).build(), Map.of(),
                Map.of());
    }

    abstract ServletContainer newContainer();

    private void start() throws Exception {
        start(10, JwtAuthenticator.builder().hmacSecret(Tokens.SECRET).clock(clock).build());
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (hub != null) {
            hub.close(Duration.ZERO);
        }
        if (container != null) {
            container.stop();
        }
    }

    /** Sends a raw GET (the header bytes as given, UTF-8) and returns the connected socket. */
    private Socket rawGet(String path, String extraHeaders) throws IOException {
        Socket socket = new Socket();
        sockets.add(socket);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        String request = "GET /events" + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + tokens.user("alice") + "\r\n"
                + extraHeaders + "\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
        return socket;
    }

    /** Reads what the socket receives until the text appears or the time is up. */
    private static String readFor(Socket socket, String until, Duration atMost)
            throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + atMost.toNanos();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        while (System.nanoTime() < deadline
                && !seen.toString(StandardCharsets.UTF_8).contains(until)) {
            socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            try {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                seen.write(buffer, 0, n);
            } catch (SocketTimeoutException e) {
                break;
            }
        }
        return seen.toString(StandardCharsets.UTF_8);
    }

    /** a malformed query string is bad input (400), not "server unavailable". */
    @Test
    void malformedQueryStringIsA400() throws Exception {
        start();

        // java.net.URI refuses these queries, so they go out on a raw socket.
        Socket withHeader = rawGet("/stream?events=%ZZ", "");
        Socket badUtf8 = rawGet("/stream?lastEventId=%C3%28", "");
        Socket anonymous = new Socket();
        sockets.add(anonymous);
        anonymous.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        anonymous.getOutputStream().write(
                "GET /events/stream?token=%ZZ HTTP/1.1\r\nHost: x\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));

        assertThat(readFor(withHeader, "\r\n\r\n", Duration.ofSeconds(2)))
                .startsWith("HTTP/1.1 400");
        assertThat(readFor(badUtf8, "\r\n\r\n", Duration.ofSeconds(2)))
                .startsWith("HTTP/1.1 400");
        assertThat(readFor(anonymous, "\r\n\r\n", Duration.ofSeconds(2)))
                .matches("(?s)HTTP/1.1 40[01].*");
    }

    /** streams whose clients closed the connection still count against the limit. */
    @Test
    void streamsOfClientsThatLeftDoNotLockTheUserOut() throws Exception {
        start(2, JwtAuthenticator.builder().hmacSecret(Tokens.SECRET).clock(clock).build());

        for (int i = 0; i < 2; i++) {
            Socket tab = rawGet("/stream", "");
            assertThat(readFor(tab, RETRY, Duration.ofSeconds(2))).startsWith("HTTP/1.1 200")
                    .contains(RETRY);
            tab.close();    // an orderly close, as a browser does on reload or source.close()
        }

        // A page reload a moment later: the user has no open connection at all. An attempt
        // may still be refused while the hub probes the streams left behind, but the places
        // are free again within a few sweeps, not a heartbeat interval or two.
        await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(100))
                .until(() -> readFor(rawGet("/stream", ""), RETRY, Duration.ofSeconds(1))
                        .startsWith("HTTP/1.1 200"));
        assertThat(hub.stats().streamsClosedByReason().get("CLIENT_GONE"))
                .as("both streams left behind were noticed as gone")
                .isGreaterThanOrEqualTo(2L);
    }

    /** a token accepted thanks to the leeway must not be closed at once as expired. */
    @Test
    void tokenWithinLeewayIsNotClosedAtOnce() throws Exception {
        start(10, JwtAuthenticator.builder().hmacSecret(Tokens.SECRET).clock(clock)
                .leeway(Duration.ofSeconds(60)).build());
        String expiredTenSecondsAgo = tokens.claims("alice", Duration.ofSeconds(-10))
                .sign(Tokens.HS256);

        Socket socket = new Socket();
        sockets.add(socket);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        socket.getOutputStream().write(("GET /events/stream HTTP/1.1\r\nHost: x\r\n"
                + "Authorization: Bearer " + expiredTenSecondsAgo + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        String received = readFor(socket, "\r\n0\r\n\r\n", Duration.ofSeconds(1));

        assertThat(received).startsWith("HTTP/1.1 200").contains(RETRY);
        // Either refuse it (401) or keep it open for the leeway; never accept-then-close.
        assertThat(received).as("the response ended right after it started")
                .doesNotContain("\r\n0\r\n\r\n");
        assertThat(hub.stats().streamsClosedByReason()).doesNotContainKey("EXPIRED");
    }

    /** a client resuming from a non-ASCII event id gets the replay, as browsers do. */
    @Test
    void resumesFromANonAsciiEventId() throws Exception {
        start();
        hub.emit(SseEvent.builder().id("bestellung-é-1").type("n").data("1").build());
        hub.emit(SseEvent.builder().id("bestellung-é-2").type("n").data("2").build());

        // Browsers send Last-Event-ID as UTF-8 (WHATWG HTML, "reestablish the connection").
        Socket socket = rawGet("/stream", "Last-Event-ID: bestellung-é-1\r\n");
        String received = readFor(socket, "data: 2", Duration.ofSeconds(2));

        assertThat(received).doesNotContain("ssekit.missed").contains("id: bestellung-é-2");
    }

    /** "the header wins": a blank Bearer header must not fall back to ?token=. */
    @Test
    void blankBearerHeaderDoesNotFallBackToTheQueryToken() throws Exception {
        start();

        Socket socket = new Socket();
        sockets.add(socket);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        socket.getOutputStream().write(("GET /events/stream?token=" + tokens.user("alice")
                + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer    \r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));

        assertThat(readFor(socket, "\r\n\r\n", Duration.ofSeconds(2))).startsWith(
                "HTTP/1.1 401");
    }
}
